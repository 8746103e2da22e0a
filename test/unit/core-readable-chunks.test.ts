import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { readableChunks } from '../../src/core/readable-chunks.js';

test('chunks come out in order, and the loop ends with the stream', async () => {
  const stream = new PassThrough();
  const seen: string[] = [];
  const reading = (async () => {
    for await (const chunk of readableChunks(stream)) seen.push(chunk.toString());
  })();
  stream.write('a');
  stream.write('b');
  await turn();
  stream.end('c');
  await reading;
  assert.deepEqual(seen.join(''), 'abc');
});

test('a consumer that holds a chunk pauses the stream once the queue is full, and resumes it', async () => {
  const stream = new PassThrough();
  const chunks = readableChunks(stream, 1000);
  const first = chunks.next();
  stream.write(Buffer.alloc(10));
  assert.equal((await first).value?.length, 10);
  // The consumer now holds its chunk; what arrives meanwhile is queued up to the limit.
  for (let i = 0; i < 5; i++) stream.write(Buffer.alloc(400));
  await turn();
  assert.equal(stream.isPaused(), true, 'paused with 1000 bytes or more waiting');
  let queued = 0;
  for (let i = 0; i < 3; i++) queued += ((await chunks.next()).value as Buffer).length;
  assert.equal(queued, 1200);
  assert.equal(stream.isPaused(), false, 'resumed once the queue fell under the limit');
  stream.end();
  let rest = 0;
  for await (const chunk of { [Symbol.asyncIterator]: () => chunks }) rest += chunk.length;
  assert.equal(rest, 800);
});

test('a stream destroyed with an error rejects with it; one closed before its end is a premature close', async () => {
  const failing = new PassThrough();
  const reading = (async () => {
    for await (const _chunk of readableChunks(failing)) failing.destroy(new Error('socket hang up'));
  })();
  failing.write('x');
  await assert.rejects(reading, /socket hang up/);

  const cut = new PassThrough();
  const cutReading = (async () => {
    for await (const _chunk of readableChunks(cut)) cut.destroy();
  })();
  cut.write('x');
  await assert.rejects(cutReading, (error: NodeJS.ErrnoException) => error.code === 'ERR_STREAM_PREMATURE_CLOSE');
});

test('leaving the loop early stops listening to the stream', async () => {
  const stream = new PassThrough();
  const reading = (async () => {
    for await (const _chunk of readableChunks(stream)) break;
  })();
  stream.write('x');
  await reading;
  assert.equal(stream.listenerCount('data'), 0);
  assert.equal(stream.listenerCount('end'), 0);
});
