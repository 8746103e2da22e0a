// `inworld book` figures (one run each; the machine is shared, so the load is printed beside them):
//  (a) a 200,000-character book against the emulator with a fixed per-request latency: the wall
//      time against the ideal, parts / concurrency x latency;
//  (b) peak RSS of a 10 MB text against a 1 MB text, each run with a shard small enough that
//      about ten parts are synthesized (reading, splitting and naming every part of the whole book
//      still happen); GNU time's maximum resident set size;
//  (c) kill -9 at half way: the requests the re-run sends, and how many of the first run's
//      requests were lost (at most the parts in flight).
// Run: npm run build && node --import tsx bench/book.ts [a] [b] [c]
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'inworld.js');
const KEY = 'YmVuY2g6Ym9vaw==';
const LATENCY_MS = 2_000;
const CONCURRENCY = 10;
/** Characters per chapter of the generated books. */
const CHAPTER_CHARS = 20_000;

async function writeBook(path: string, characters: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  for (let chapter = 1; written < characters; chapter += 1) {
    let text = `Chapter ${chapter}\n\n`;
    for (let sentence = 1; text.length < CHAPTER_CHARS && written + text.length < characters; sentence += 1) text += `In chapter ${chapter} the sentence ${sentence} adds a few more words. `;
    written += text.length;
    if (!out.write(`${text}\n\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function env(emulator: RunningEmulator): NodeJS.ProcessEnv {
  return { ...process.env, INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, XDG_CONFIG_HOME: '/nonexistent-inworld-bench' };
}

function run(args: string[], emulator: RunningEmulator): Promise<{ code: number | null; ms: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(emulator), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stderr }));
  });
}

function requests(emulator: RunningEmulator): number {
  return emulator.requests.find('/tts/v1/voice').length;
}

async function latencyRun(dir: string, emulator: RunningEmulator): Promise<void> {
  const book = join(dir, 'latency.txt');
  await writeBook(book, 200_000);
  emulator.options.firstByteLatencyMs = LATENCY_MS;
  emulator.requests.clear();
  const result = await run(['book', book, '-o', join(dir, 'latency.wav'), '--sample-rate', '8000', '--concurrency', String(CONCURRENCY)], emulator);
  if (result.code !== 0) throw new Error(result.stderr);
  const parts = requests(emulator);
  const ideal = Math.ceil(parts / CONCURRENCY) * LATENCY_MS;
  console.log(`(a) 200,000 characters: ${parts} parts at concurrency ${CONCURRENCY}, ${LATENCY_MS} ms a request: ${(result.ms / 1000).toFixed(1)} s, ideal ${(ideal / 1000).toFixed(1)} s, ratio ${(result.ms / ideal).toFixed(2)}`);
  // The same book with no added latency: what generating, sending and writing the audio costs
  // on this machine (emulator and client share its cores), the floor under any latency.
  emulator.options.firstByteLatencyMs = 0;
  const floor = await run(['book', book, '-o', join(dir, 'floor.wav'), '--sample-rate', '8000', '--concurrency', String(CONCURRENCY)], emulator);
  if (floor.code !== 0) throw new Error(floor.stderr);
  console.log(`(a) the same with no added latency: ${(floor.ms / 1000).toFixed(1)} s; latency run / (ideal + that floor): ${(result.ms / (ideal + floor.ms)).toFixed(2)}`);
}

/** Not spawnSync: the emulator answering the child runs in this process's event loop. */
async function peakRssMb(args: string[], emulator: RunningEmulator): Promise<number> {
  const child = spawn('/usr/bin/time', ['-v', process.execPath, BIN, ...args], { env: env(emulator), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(stderr);
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return Number(match![1]) / 1024;
}

async function memoryRun(dir: string, emulator: RunningEmulator): Promise<void> {
  emulator.options.firstByteLatencyMs = 0;
  const peaks: number[] = [];
  for (const megabytes of [1, 10]) {
    const book = join(dir, `book-${megabytes}mb.txt`);
    await writeBook(book, megabytes * 1_000_000);
    // About 500 parts a megabyte: this shard synthesizes about ten of them.
    const shard = `1/${megabytes * 50}`;
    emulator.requests.clear();
    const peak = await peakRssMb(['book', book, '-o', join(dir, `book-${megabytes}mb.wav`), '--sample-rate', '8000', '--shard', shard], emulator);
    peaks.push(peak);
    console.log(`(b) ${megabytes} MB text, --shard ${shard} (${requests(emulator)} parts synthesized): peak RSS ${peak.toFixed(1)} MB`);
  }
  console.log(`(b) ratio 10 MB / 1 MB: ${(peaks[1]! / peaks[0]!).toFixed(2)}`);
}

async function killRun(dir: string, emulator: RunningEmulator): Promise<void> {
  const book = join(dir, 'kill.txt');
  await writeBook(book, 60_000);
  emulator.options.firstByteLatencyMs = 500;
  emulator.requests.clear();
  const out = join(dir, 'kill.wav');
  const args = ['book', book, '-o', out, '--sample-rate', '8000', '--concurrency', String(CONCURRENCY), '--json'];
  const child = spawn(process.execPath, [BIN, ...args], { env: env(emulator), stdio: ['ignore', 'pipe', 'ignore'] });
  let progress = 0;
  let buffered = '';
  const total = 30; // 60,000 characters: 30 parts of at most 2,000
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.includes('"type":"progress"') && ++progress === total / 2) child.kill('SIGKILL');
  });
  await once(child, 'close');
  const firstRun = requests(emulator);
  const stored = readdirSync(join(`${out}.parts`, 'parts')).filter((name) => name.endsWith('.part')).length;
  emulator.requests.clear();
  const rerun = await run(args.filter((arg) => arg !== '--json'), emulator);
  if (rerun.code !== 0) throw new Error(rerun.stderr);
  const planned = stored + requests(emulator);
  console.log(`(c) kill -9 after ${total / 2} of ${planned} parts: the first run sent ${firstRun} requests, ${stored} parts stored; the re-run sent ${requests(emulator)} (= ${planned} - ${stored}); requests lost: ${firstRun - stored} (concurrency ${CONCURRENCY})`);
}

const dir = mkdtempSync(join(tmpdir(), 'inworld-bench-book-'));
const emulator = await startEmulator({ port: 0, engine: 'synthetic' });
try {
  console.log(`load average before: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  // `-- a b c` runs only those measurements.
  const only = process.argv.slice(2);
  if (only.length === 0 || only.includes('a')) await latencyRun(dir, emulator);
  if (only.length === 0 || only.includes('b')) await memoryRun(dir, emulator);
  if (only.length === 0 || only.includes('c')) await killRun(dir, emulator);
  console.log(`load average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
