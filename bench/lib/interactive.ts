// Drives a streaming child: writes one sentence at a time to its stdin and measures the time from
// that write to the next bytes on its stdout; the next sentence goes only after the previous
// one's audio has stopped arriving (stdout idle), so each measurement sees an idle pipeline.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface InteractiveOptions {
  env: NodeJS.ProcessEnv;
  sentences: string[];
  /** Bytes before the first audio (a WAV header) that do not count as audio. */
  headerBytes: number;
  /** stdout silence that means "this sentence's audio is done". */
  idleMs?: number;
  timeoutMs?: number;
  /** Written after each sentence; default a newline. (" " leaves the sentence open until a pause settles it.) */
  ending?: string;
}

/** Returns the per-sentence delays, ms, the first (warm-up) sentence excluded. */
export function sentenceLatencies(command: string, args: string[], options: InteractiveOptions): Promise<number[]> {
  const idleMs = options.idleMs ?? 120;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let bytes = 0;
    let writtenAt = Number.NaN;
    let waitingFirst = false;
    let lastDataAt = 0;
    let index = 0;
    const delays: number[] = [];
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    let poll: NodeJS.Timeout | undefined;

    const next = () => {
      if (index >= options.sentences.length) {
        child.stdin.end();
        return;
      }
      waitingFirst = true;
      const sentence = options.sentences[index++]!;
      writtenAt = performance.now();
      child.stdin.write(`${sentence}${options.ending ?? '\n'}`);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      const at = performance.now();
      const before = bytes;
      bytes += chunk.length;
      lastDataAt = at;
      if (bytes <= options.headerBytes) return;
      if (waitingFirst && before + chunk.length > options.headerBytes) {
        waitingFirst = false;
        delays.push(at - writtenAt);
        const settle = () => {
          if (performance.now() - lastDataAt >= idleMs) next();
          else poll = setTimeout(settle, idleMs / 2);
        };
        poll = setTimeout(settle, idleMs);
      }
    });
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (poll) clearTimeout(poll);
      if (code !== 0 || delays.length < options.sentences.length) {
        reject(new Error(`${args.join(' ')} exited ${code} after ${delays.length} sentence(s): ${stderr.trim().slice(-400)}`));
      } else resolve(delays.slice(1));
    });
    // Give the process time to start (and connect) before the first sentence.
    setTimeout(next, 50);
  });
}
