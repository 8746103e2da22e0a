// Child-process measurement: wall time, time to the first stdout byte, and (through
// /usr/bin/time) peak RSS and CPU seconds, all measured from outside the measured program.
import { spawn, type SpawnOptions } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to exit, ms. */
  wallMs: number;
  /** Spawn to first stdout byte, ms (NaN when nothing came). */
  firstStdoutMs: number;
  /** performance.now() when the first stdout byte was read by this process. */
  firstStdoutAt: number;
  /** performance.now() at spawn. */
  spawnedAt: number;
  stdoutBytes: number;
  stderr: string;
  /** Only with `usage: true`: from /usr/bin/time. */
  maxRssBytes?: number;
  userSeconds?: number;
  systemSeconds?: number;
  /** The stdout bytes, only with `keepStdout`. */
  stdout?: Buffer;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: string | Buffer | ((stdin: NodeJS.WritableStream) => void);
  /** Wrap in /usr/bin/time to read peak RSS and CPU seconds. */
  usage?: boolean;
  keepStdout?: boolean;
  timeoutMs?: number;
  onStdout?: (chunk: Buffer, at: number) => void;
  /** Send SIGINT after this long (the measured program must then exit by itself). */
  interruptAfterMs?: number;
}

let usageCounter = 0;

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  let file = command;
  let argv = [...args];
  let usageFile: string | undefined;
  if (options.usage) {
    usageFile = join(tmpdir(), `inworld-bench-usage-${process.pid}-${usageCounter++}.txt`);
    argv = ['-f', '%M %U %S', '-o', usageFile, command, ...args];
    file = '/usr/bin/time';
  }
  const spawnOptions: SpawnOptions = {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // Its own process group, so signals reach the program under /usr/bin/time too (time itself
    // ignores SIGINT and forwards nothing).
    detached: true,
  };
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.now();
    const child = spawn(file, argv, spawnOptions);
    let firstStdoutAt = Number.NaN;
    let stdoutBytes = 0;
    const kept: Buffer[] = [];
    let stderr = '';
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => signalGroup('SIGKILL'), options.timeoutMs ?? 120_000);
    const interrupt = options.interruptAfterMs === undefined ? undefined : setTimeout(() => signalGroup('SIGINT'), options.interruptAfterMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      const at = performance.now();
      if (stdoutBytes === 0) firstStdoutAt = at;
      stdoutBytes += chunk.length;
      if (options.keepStdout) kept.push(chunk);
      options.onStdout?.(chunk, at);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString();
    });
    if (options.stdin !== undefined) {
      child.stdin!.on('error', () => {});
      if (typeof options.stdin === 'function') options.stdin(child.stdin!);
      else child.stdin!.end(options.stdin);
    }
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (interrupt) clearTimeout(interrupt);
      const wallMs = performance.now() - spawnedAt;
      const result: RunResult = {
        code,
        signal,
        wallMs,
        firstStdoutMs: firstStdoutAt - spawnedAt,
        firstStdoutAt,
        spawnedAt,
        stdoutBytes,
        stderr,
      };
      if (options.keepStdout) result.stdout = Buffer.concat(kept);
      if (usageFile) {
        try {
          const lines = readFileSync(usageFile, 'utf8').trim().split('\n');
          const [rssKb, user, sys] = lines[lines.length - 1]!.trim().split(/\s+/).map(Number);
          result.maxRssBytes = rssKb! * 1024;
          result.userSeconds = user;
          result.systemSeconds = sys;
        } catch {
          /* the usage line is missing when the child was killed */
        }
        rmSync(usageFile, { force: true });
      }
      resolve(result);
    });
  });
}

/** Throws with the child's stderr when it did not exit 0. */
export function check(result: RunResult, what: string): RunResult {
  if (result.code !== 0) {
    throw new Error(`${what} exited ${result.code ?? result.signal}: ${result.stderr.trim().slice(-600)}`);
  }
  return result;
}
