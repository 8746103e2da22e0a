// Small helpers shared by the player and recorder code: every child we start is killed if the
// process exits, and every wait on a child has a deadline.
import type { ChildProcess } from 'node:child_process';

/** How long a child gets after SIGTERM before SIGKILL. */
export const KILL_GRACE_MS = 1000;

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Registers a child to be killed if this process exits first (no orphaned players/recorders). */
export function trackChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  child.once('error', () => liveChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of liveChildren) running.kill('SIGKILL');
  });
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the child could not be started at all (e.g. ENOENT). */
  spawnError?: Error;
  timedOut?: boolean;
}

/** Resolves when the child exits (or failed to spawn), or with `timedOut` after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<ExitStatus> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const finish = (status: ExitStatus) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      resolve(status);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => finish({ code, signal });
    const onError = (error: Error) => finish({ code: null, signal: null, spawnError: error });
    const timer = setTimeout(() => finish({ code: null, signal: null, timedOut: true }), timeoutMs);
    timer.unref();
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the child is gone. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const status = await waitForExit(child, KILL_GRACE_MS);
  if (status.timedOut) {
    child.kill('SIGKILL');
    await waitForExit(child, KILL_GRACE_MS);
  }
}

/** Keeps the last `maxBytes` of a child's stderr, for error messages. */
export function stderrTail(child: ChildProcess, maxBytes = 2048): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    tail = (tail + text).slice(-maxBytes);
  });
  return () => tail;
}

/** The most useful single line of a program's stderr: its last non-empty line. */
export function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}
