// Any format ffmpeg can read (MP3, FLAC, OGG, M4A, video…) decoded to s16le mono at a chosen rate
// by an ffmpeg child process. ffmpeg is optional: without it, a clear ValidationError says to
// install it or convert to WAV.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ValidationError } from '../core/errors.js';
import { killChild, lastLine, stderrTail, trackChild, waitForExit } from './child-process.js';
import { findExecutable } from './find-executable.js';
import type { PcmSource } from './source.js';

/** After ffmpeg's stdout ends, how long it may take to exit. */
const FFMPEG_EXIT_TIMEOUT_MS = 10_000;
export const DEFAULT_DECODE_RATE_HZ = 16_000;

export interface FfmpegSourceOptions {
  /** Output sample rate; defaults to 16 kHz. */
  sampleRateHertz?: number;
  env?: NodeJS.ProcessEnv;
  name?: string;
}

/**
 * Decodes `input` (a path, `-` for standard input, or a stream) with ffmpeg. Throws a
 * ValidationError at once when ffmpeg is not installed; a file ffmpeg cannot decode is a
 * ValidationError while iterating.
 */
export function openFfmpegSource(input: string | Readable, options: FfmpegSourceOptions = {}): PcmSource {
  const sampleRateHertz = options.sampleRateHertz ?? DEFAULT_DECODE_RATE_HZ;
  const env = options.env ?? process.env;
  const name = options.name ?? (typeof input === 'string' ? (input === '-' ? 'standard input' : input) : 'input');
  const program = findExecutable('ffmpeg', env);
  if (!program) {
    throw new ValidationError(`cannot read ${name}: it is not WAV, and decoding other formats needs ffmpeg`, {
      hint: 'Install ffmpeg or convert the file to WAV',
    });
  }
  const fromPipe = typeof input !== 'string' || input === '-';
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', fromPipe ? 'pipe:0' : input];
  args.push('-vn', '-f', 's16le', '-acodec', 'pcm_s16le', '-ac', '1', '-ar', String(sampleRateHertz), 'pipe:1');
  if (fromPipe) args.splice(args.indexOf('-nostdin'), 1);
  const child = spawn(program, args, { env, stdio: [fromPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const stderr = stderrTail(child);
  // Node drains a child's stdout into nothing when the child exits and no 'readable' listener is
  // attached; this keeps the decoded audio until the caller iterates.
  child.stdout!.on('readable', () => undefined);
  const source: Readable | undefined = typeof input === 'string' ? (input === '-' ? process.stdin : undefined) : input;
  if (source && child.stdin) {
    // ffmpeg may stop reading early (e.g. on a decode error): that EPIPE is not ours to report.
    child.stdin.on('error', () => undefined);
    source.pipe(child.stdin);
  }
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (source && child.stdin) source.unpipe(child.stdin);
    void killChild(child);
  };

  async function* samples(): AsyncGenerator<Buffer> {
    let carry: Buffer | undefined;
    try {
      for await (const chunk of child.stdout!) {
        if (closed) return;
        let data = chunk as Buffer;
        if (carry) data = Buffer.concat([carry, data]);
        const whole = data.length - (data.length % 2);
        carry = whole < data.length ? Buffer.from(data.subarray(whole)) : undefined;
        if (whole > 0) yield data.subarray(0, whole);
      }
      if (closed) return;
      const status = await waitForExit(child, FFMPEG_EXIT_TIMEOUT_MS);
      if (status.spawnError) throw new ValidationError(`cannot run ffmpeg: ${status.spawnError.message}`);
      if (status.timedOut || status.code !== 0) {
        const why = lastLine(stderr()) || (status.timedOut ? 'it did not exit' : `exit code ${status.code}`);
        throw new ValidationError(`ffmpeg could not decode ${name}: ${why}`, {
          hint: 'Check the file, or convert it to WAV',
        });
      }
    } finally {
      close();
    }
  }
  return { sampleRateHertz, channels: 1, close, [Symbol.asyncIterator]: () => samples() };
}
