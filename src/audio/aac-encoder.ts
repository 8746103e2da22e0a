// s16le PCM to AAC in ADTS frames (the `.aac` stream format players and browsers take) by an
// ffmpeg child process: Inworld has no AAC encoding, and ffmpeg's built-in encoder is everywhere
// ffmpeg is. The output is yielded as ffmpeg produces it; closing the iterator early kills ffmpeg.
import { spawn } from 'node:child_process';
import { killChild, lastLine, stderrTail, trackChild, waitForExit } from './child-process.js';
import { findExecutable } from './find-executable.js';

const FFMPEG_EXIT_TIMEOUT_MS = 10_000;
export const DEFAULT_AAC_BIT_RATE_BPS = 64_000;

export interface AacEncoderOptions {
  sampleRateHertz: number;
  channels?: number;
  bitRate?: number;
  env?: NodeJS.ProcessEnv;
}

/** True when ffmpeg is installed, so AAC can be produced. */
export function aacEncoderAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return findExecutable('ffmpeg', env) !== undefined;
}

/** Encodes `pcm` to ADTS AAC; throws when ffmpeg is missing or fails. */
export async function* encodeAac(pcm: AsyncIterable<Buffer>, options: AacEncoderOptions): AsyncGenerator<Buffer> {
  const env = options.env ?? process.env;
  const program = findExecutable('ffmpeg', env);
  if (!program) throw new Error('AAC needs ffmpeg, which is not installed');
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', String(options.sampleRateHertz), '-ac', String(options.channels ?? 1), '-i', 'pipe:0'];
  args.push('-c:a', 'aac', '-b:a', String(options.bitRate ?? DEFAULT_AAC_BIT_RATE_BPS), '-f', 'adts', '-flush_packets', '1', 'pipe:1');
  args.splice(args.indexOf('-nostdin'), 1);
  const child = spawn(program, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  trackChild(child);
  const stderr = stderrTail(child);
  const stdin = child.stdin!;
  // ffmpeg may exit before reading everything (killed on early close): that EPIPE is not news.
  stdin.on('error', () => undefined);
  let inputError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of pcm) {
        if (!stdin.write(chunk)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
        if (stdin.destroyed) return;
      }
      stdin.end();
    } catch (error) {
      inputError = error;
      void killChild(child);
    }
  })();
  let finished = false;
  try {
    for await (const chunk of child.stdout!) yield chunk as Buffer;
    await feeding;
    if (inputError) throw inputError;
    const status = await waitForExit(child, FFMPEG_EXIT_TIMEOUT_MS);
    if (status.spawnError || status.timedOut || status.code !== 0) {
      throw new Error(`ffmpeg could not encode AAC: ${lastLine(stderr()) || status.spawnError?.message || `exit code ${status.code}`}`);
    }
    finished = true;
  } finally {
    if (!finished) {
      stdin.destroy();
      await killChild(child);
    }
  }
}
