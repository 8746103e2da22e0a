import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AudioBlocks, ReplayBuffer, type OutItem } from '../../src/stt/recovery.js';

function audio(startByte: number, length: number): OutItem {
  return { kind: 'audio', data: Buffer.alloc(length, startByte % 251), startByte };
}

test('a final acknowledges audio up to its end, splitting the chunk that straddles it on a frame', () => {
  const buffer = new ReplayBuffer(1 << 20);
  buffer.push(audio(0, 100));
  buffer.push(audio(100, 100));
  buffer.push(audio(200, 100));
  buffer.ackThrough(151, 2);
  const items = buffer.drain();
  assert.deepEqual(
    items.map((item) => (item.kind === 'audio' ? [item.startByte, item.data.length] : item.kind)),
    [[152, 48], [200, 100]],
  );
  assert.equal(buffer.size, 0);
});

test('endTurn markers are acknowledged with the audio before them', () => {
  const buffer = new ReplayBuffer(1 << 20);
  buffer.push(audio(0, 100));
  buffer.push({ kind: 'endTurn', atByte: 100 });
  buffer.push(audio(100, 100));
  assert.equal(buffer.firstEndTurn()?.atByte, 100);
  buffer.ackThrough(100, 2);
  assert.equal(buffer.firstEndTurn(), undefined);
  assert.equal(buffer.size, 1);
});

test('the buffer is bounded and counts what it had to drop', () => {
  const buffer = new ReplayBuffer(250);
  for (let i = 0; i < 5; i += 1) buffer.push(audio(i * 100, 100));
  assert.ok(buffer.bytes <= 250);
  assert.equal(buffer.droppedBytes, 300);
});

test('property: replayed audio is exactly the unacknowledged suffix, contiguous and frame-aligned', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), fc.nat(), (frameCounts, ackSeed) => {
      const frameBytes = 4;
      const buffer = new ReplayBuffer(1 << 30);
      let offset = 0;
      for (const frames of frameCounts) {
        buffer.push(audio(offset, frames * frameBytes));
        offset += frames * frameBytes;
      }
      const ack = ackSeed % (offset + 1);
      buffer.ackThrough(ack, frameBytes);
      const items = buffer.drain().filter((item): item is Extract<OutItem, { kind: 'audio' }> => item.kind === 'audio');
      const expectedStart = Math.ceil(ack / frameBytes) * frameBytes;
      let at = expectedStart;
      for (const item of items) {
        assert.equal(item.startByte, at);
        assert.equal(item.data.length % frameBytes, 0);
        at += item.data.length;
      }
      assert.equal(at, Math.max(offset, expectedStart));
    }),
  );
});

test('consecutive chunks of one buffer are held as one item and replayed in chunk-size pieces', () => {
  const source = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
  const buffer = new ReplayBuffer(1 << 20);
  for (let offset = 0; offset < 300; offset += 100) buffer.push({ kind: 'audio', data: source.subarray(offset, offset + 100), startByte: 1000 + offset });
  assert.equal(buffer.size, 1);
  assert.equal(buffer.bytes, 300);
  buffer.ackThrough(1050, 2);
  const items = buffer.drain(100);
  assert.deepEqual(
    items.map((item) => (item.kind === 'audio' ? [item.startByte, item.data.length] : item.kind)),
    [[1050, 100], [1150, 100], [1250, 50]],
  );
  assert.deepEqual(Buffer.concat(items.map((item) => (item.kind === 'audio' ? item.data : Buffer.alloc(0)))), source.subarray(50));
});

test('audio blocks are recycled once released: a long stream holds its window, not its length', () => {
  const blocks = new AudioBlocks(1000, 2);
  const live: Array<{ view: Buffer; fill: number; startByte: number }> = [];
  const memory = new Set<ArrayBufferLike>();
  for (let i = 0; i < 2000; i += 1) {
    const startByte = i * 100;
    const view = blocks.copy(Buffer.alloc(100, i % 251), startByte);
    live.push({ view, fill: i % 251, startByte });
    memory.add(view.buffer);
    // Keep the last 500 bytes of the stream, like a replay window.
    while (live[0]!.startByte + 100 <= startByte + 100 - 500) live.shift();
    blocks.release(live[0]!.startByte);
    for (const { view, fill } of live) assert.ok(view.every((byte) => byte === fill), 'audio still held is never overwritten');
  }
  assert.ok(blocks.bytes <= 4000, `block memory ${blocks.bytes} bytes`);
  assert.ok(memory.size <= 4, `${memory.size} blocks allocated over the stream`);
});
