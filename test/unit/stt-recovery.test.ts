import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { reconnectDelayMs, ReplayBuffer, type OutItem } from '../../src/stt/recovery.js';

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

test('reconnect delays grow exponentially with jitter and stay capped', () => {
  assert.equal(reconnectDelayMs(1, 250, () => 0.5), 250);
  assert.equal(reconnectDelayMs(3, 250, () => 0.5), 1000);
  assert.ok(reconnectDelayMs(30, 250, () => 1) <= 6000);
  assert.ok(reconnectDelayMs(1, 250, () => 0) >= 200);
});
