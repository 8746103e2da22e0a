// A response body (a Readable) as an async iterable of its chunks, taken from 'data' events.
//
// Node's own iterator (`for await` over a Readable) waits for 'readable', which push() emits on the
// next tick, then read()s and resolves a promise per chunk: in a fresh process that cold path cost
// ~0.8 ms between the body's first bytes arriving and the consumer seeing them (measured for
// `inworld say -o -`, bench/FINDINGS.md). A 'data' listener is handed each chunk inside push().
// Backpressure is kept: the stream is paused while more than `maxQueuedBytes` wait for the consumer.
import { finished, type Readable } from 'node:stream';

/** Enough for several response chunks; beyond it the socket stops being read (TCP backpressure). */
export const DEFAULT_MAX_QUEUED_BYTES = 256 * 1024;

export async function* readableChunks(stream: Readable, maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let queuedBytes = 0;
  let outcome: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  const wakeConsumer = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    queuedBytes += chunk.length;
    if (queuedBytes >= maxQueuedBytes) stream.pause();
    wakeConsumer();
  };
  // finished() reports the end, an error, or a close before the end (ERR_STREAM_PREMATURE_CLOSE),
  // as Node's own iterator does; it also keeps an 'error' event from going unhandled.
  const stopWatching = finished(stream, (error) => {
    outcome = { error };
    wakeConsumer();
  });
  stream.on('data', onData);
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queuedBytes -= chunk.length;
        if (queuedBytes < maxQueuedBytes && stream.isPaused()) stream.resume();
        yield chunk;
        continue;
      }
      if (outcome) {
        if (outcome.error) throw outcome.error;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off('data', onData);
    stopWatching();
  }
}
