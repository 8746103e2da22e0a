// The one shape every audio input has (WAV file, raw PCM, ffmpeg, microphone, resampler): an
// async iterable of s16le mono PCM chunks at a known rate, which can be closed early.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

export interface PcmSource extends AsyncIterable<Buffer> {
  /** Samples per second of the PCM this source yields. */
  readonly sampleRateHertz: number;
  /** Always 1: sources down-mix. */
  readonly channels: 1;
  /** Stops reading: closes the file or kills the child process. Safe to call more than once. */
  close(): void;
}

/** A source whose first chunk was read ahead: `audio` yields it again, then the rest. */
export interface PrimedSource {
  /** True when the source ended without a single chunk. */
  empty: boolean;
  audio: AsyncGenerator<Buffer>;
}

/**
 * Reads the first chunk now, so that input which cannot be decoded (a file ffmpeg refuses, a WAV
 * cut short in its header) fails before anything is sent anywhere. A failed read closes the source.
 */
export async function primeSource(source: PcmSource): Promise<PrimedSource> {
  const iterator = source[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (error) {
    source.close();
    throw error;
  }
  async function* audio(): AsyncGenerator<Buffer> {
    if (first.done) return;
    yield first.value;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { empty: first.done === true, audio: audio() };
}

/** Bytes from a path, `-` (standard input) or an existing stream, plus how to stop reading. */
export interface ByteInput {
  stream: Readable;
  name: string;
  close(): void;
}

/** Read size for files: big enough to keep syscalls rare, small enough to stream. */
export const READ_CHUNK_BYTES = 64 * 1024;

export function openByteInput(input: string | Readable, name?: string): ByteInput {
  if (typeof input !== 'string') {
    return { stream: input, name: name ?? 'input', close: () => input.destroy() };
  }
  if (input === '-') {
    // Never destroy process.stdin: pausing is enough, and it may be shared with the caller.
    return { stream: process.stdin, name: name ?? 'standard input', close: () => process.stdin.pause() };
  }
  const stream = createReadStream(input, { highWaterMark: READ_CHUNK_BYTES });
  // Errors surface through iteration; this keeps an early one from being unhandled.
  stream.on('error', () => undefined);
  return { stream, name: name ?? input, close: () => stream.destroy() };
}
