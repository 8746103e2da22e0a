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
