// Shared pieces of the fault, interrupt, security and load suites: running the built CLI with a
// hard deadline, a per-case emulator, WAV checks against a reference rendering, and the secret
// every run's output is searched for.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv } from '../helpers/cli.js';

/** A key that looks real and appears nowhere else, so finding it in any output is a leak. */
export const SECRET_KEY = 'ZmF1bHQtbWF0cml4OnMzY3IzdC1kby1ub3QtcHJpbnQtbWU=';

export const TTS_STREAM_PATH = '/tts/v1/voice:stream';
export const TTS_WS_PATH = '/tts/v1/voice:streamBidirectional';
export const STT_WS_PATH = '/stt/v1/transcribe:streamBidirectional';
export const VOICES_PATH = '/voices/v1/voices';
export const LEGACY_VOICES_PATH = '/tts/v1/voices';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
  /** True when the hard deadline killed the child: a hang. */
  killed: boolean;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** Kill (SIGKILL) after this long; the run is then marked as a hang. */
  deadlineMs?: number;
  cwd?: string;
}

/** Starts the CLI; `done` resolves with everything it printed once it exits. */
export function startCli(args: string[], options: SpawnOptions = {}): { child: ChildProcessWithoutNullStreams; done: Promise<Run> } {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env ?? cleanEnv(),
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.on('error', () => {});
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.deadlineMs ?? 20_000);
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Math.round(performance.now() - started),
        killed,
      });
    });
  });
  return { child, done };
}

export function runCli(args: string[], options: SpawnOptions = {}): Promise<Run> {
  const { child, done } = startCli(args, options);
  child.stdin.end(options.input);
  return done;
}

/** The environment for a run against `emulator` with the secret key. */
export function envFor(emulator: { url: string; wsUrl: string } | undefined, extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv({
    INWORLD_API_KEY: SECRET_KEY,
    INWORLD_BASE_URL: emulator?.url,
    INWORLD_WS_URL: emulator?.wsUrl,
    NO_COLOR: '1',
    ...extra,
  });
}

export function quietEmulator(): Promise<RunningEmulator> {
  return startEmulator({ port: 0, engine: 'synthetic', quiet: true });
}

export function tempDir(prefix: string): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface WavCheck {
  valid: boolean;
  reason?: string;
  sampleRateHertz?: number;
  data?: Buffer;
}

/** A canonical 44-byte-header PCM WAV whose RIFF and data sizes agree with the file's length. */
export function checkWavBytes(bytes: Buffer): WavCheck {
  if (bytes.length < 44) return { valid: false, reason: `only ${bytes.length} bytes` };
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') return { valid: false, reason: 'no RIFF/WAVE' };
  if (bytes.toString('latin1', 12, 16) !== 'fmt ' || bytes.toString('latin1', 36, 40) !== 'data') return { valid: false, reason: 'not a canonical header' };
  const riff = bytes.readUInt32LE(4);
  const data = bytes.readUInt32LE(40);
  if (riff !== bytes.length - 8) return { valid: false, reason: `RIFF size ${riff}, file ${bytes.length}` };
  if (data !== bytes.length - 44) return { valid: false, reason: `data size ${data}, file ${bytes.length}` };
  if (data % 2 !== 0) return { valid: false, reason: `odd data size ${data}` };
  return { valid: true, sampleRateHertz: bytes.readUInt32LE(24), data: bytes.subarray(44) };
}

export function checkWavFile(path: string): WavCheck {
  if (!existsSync(path)) return { valid: false, reason: 'absent' };
  return checkWavBytes(readFileSync(path));
}

/** Asserts `actual` is a prefix of (or equal to) `reference`: no gap, no repeat, nothing foreign. */
export function assertPrefixOf(actual: Buffer, reference: Buffer, what: string): void {
  assert.ok(actual.length <= reference.length, `${what}: ${actual.length} bytes, more than the ${reference.length} a clean run gives`);
  const mismatch = firstMismatch(actual, reference);
  assert.equal(mismatch, -1, `${what}: differs from the clean run at byte ${mismatch}`);
}

function firstMismatch(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  if (a.subarray(0, n).equals(b.subarray(0, n))) return -1;
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return i;
  return -1;
}

/** Error lines: stderr without blank lines. */
export function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '');
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Every output a run produced, for the secret search. */
export function allOutput(run: Pick<Run, 'stdout' | 'stderr'>): string {
  return `${run.stdout.toString('latin1')}\n${run.stderr}`;
}

/** Figures the suites report at the end (collected per process; each test file prints its own). */
export const figures: Record<string, number | string> = {};
