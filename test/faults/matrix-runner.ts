// Runs one cell of the fault matrix: a fresh emulator with the cell's fault rules, the built CLI
// pointed at it (or at a refused / unresolvable / non-TLS address), and the checks of the
// cell's expectation. Returns what happened and every check that failed, so the matrix can be
// printed whole even when a cell fails.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { InworldClient } from '../../src/core/client.js';
import { InworldError } from '../../src/core/errors.js';
import { TtsPool } from '../../src/tts/pool.js';
import { startFaultProxy } from './fault-proxy.js';
import { runMcpCell } from './matrix-mcp.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { scriptRule } from '../wire/stt-harness.js';
import { wavBytes } from '../cli/transcribe-helpers.js';
import {
  LEGACY_VOICES_PATH,
  SECRET_KEY,
  STT_WS_PATH,
  TTS_STREAM_PATH,
  TTS_WS_PATH,
  VOICES_PATH,
  allOutput,
  checkWavBytes,
  envFor,
  quietEmulator,
  runCli,
  stderrLines,
  tempDir,
  type Run,
} from './harness.js';
import { RETRIES, TIMEOUT_MS, type Cell, type CommandName, type Row } from './matrix-cases.js';

export const SAY_TEXT = 'The quick brown fox jumps over the lazy dog.';
export const STREAM_TEXT = 'The first sentence is here. A second one follows it! Does the third ask a question?\n';
export const TRANSCRIPT_TURNS = ['First line.', 'Second line.'];
const TRANSCRIBE_AUDIO = Buffer.concat([tone(600), silence(500), tone(600), silence(500)]);

/** What a clean run of each command produces, to compare faulty runs with. */
export interface References {
  /** Audio of each POOL_TEXTS entry through the library's TtsPool. */
  pool: Buffer[];
  say: Buffer;
  stream: Buffer;
  transcribe: string;
  voices: string;
}

export interface Outcome {
  row: string;
  fault: string;
  command: CommandName;
  code: number | null;
  ms: number;
  /** Requests/handshakes the emulator saw (undefined when nothing could reach it). */
  requests?: number;
  /** The error line (or '' on success). */
  message: string;
  output: string;
  failures: string[];
  todo?: string;
  /** The key appeared in some output. */
  leaked: boolean;
  run: Run;
}

/** No run may take longer than this unless its cell says otherwise: the "no hang" bound. */
const DEFAULT_MAX_MS = 20_000;
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;

function inputWav(dir: string): string {
  const path = `${dir}/speech.wav`;
  if (!existsSync(path)) writeFileSync(path, wavBytes(TRANSCRIBE_AUDIO, 16_000, 1));
  return path;
}

export const POOL_TEXTS = ['First of five.', 'The second stream speaks.', 'A third one here.', 'Number four is talking now.', 'And the fifth.'];

/** Five concurrent streams through one TtsPool (so one connection): each one's audio or error. */
async function poolRun(emulator: RunningEmulator, options: { closeTimeoutMs?: number }): Promise<Array<{ audio?: Buffer; error?: unknown }>> {
  const client = new InworldClient({ apiKey: SECRET_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {}, timeoutMs: TIMEOUT_MS, maxRetries: RETRIES });
  const pool = new TtsPool(client, { closeTimeoutMs: options.closeTimeoutMs });
  try {
    return await Promise.all(
      POOL_TEXTS.map(async (text) => {
        const stream = pool.stream({ audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000 } }, { closeTimeoutMs: options.closeTimeoutMs });
        stream.sendText(text, { flush: true });
        stream.end();
        const parts: Buffer[] = [];
        try {
          for await (const chunk of stream) if (chunk.type === 'audio') parts.push(chunk.audio);
          return { audio: Buffer.concat(parts) };
        } catch (error) {
          return { audio: undefined, error, partial: Buffer.concat(parts) };
        }
      }),
    );
  } finally {
    await pool.close();
  }
}

async function runPoolCell(row: Row, cell: Cell, refs: References): Promise<Outcome> {
  const emulator = await quietEmulator();
  try {
    for (const rule of cell.rules ?? []) emulator.faults.add(rule);
    const started = performance.now();
    const maxMs = cell.expect.maxMs ?? DEFAULT_MAX_MS;
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), maxMs + 2000)));
    const results = await Promise.race([poolRun(emulator, { closeTimeoutMs: cell.closeTimeoutMs }), hang]);
    clearTimeout(timer);
    const ms = Math.round(performance.now() - started);
    const failures: string[] = [];
    const requests = emulator.requests.find(TTS_WS_PATH).length;
    const empty: Run = { code: null, signal: null, stdout: Buffer.alloc(0), stderr: '', ms, killed: results === 'hang' };
    if (results === 'hang') {
      failures.push(`hung: no result after ${ms} ms`);
      return { row: row.id, fault: row.fault, command: 'pool', code: null, ms, requests, message: '', output: 'none', failures, todo: cell.todo, leaked: false, run: empty };
    }
    const failed = results.filter((result) => !result.audio);
    const code = failed.length > 0 ? 1 : 0;
    const firstError = failed[0]?.error;
    const message = firstError instanceof Error ? `inworld: ${firstError.message}` : firstError === undefined ? '' : String(firstError);
    if (code !== cell.expect.code) failures.push(`${failed.length} streams failed, expected exit ${cell.expect.code}`);
    if (cell.failedStreams !== undefined && failed.length !== cell.failedStreams) failures.push(`${failed.length} of 5 streams failed, expected ${cell.failedStreams}`);
    for (const result of failed) {
      if (!(result.error instanceof InworldError)) failures.push(`a stream failed with ${String(result.error)}, not an InworldError`);
      else if (cell.expect.message && !cell.expect.message.test(result.error.message)) failures.push(`error "${result.error.message}" does not match ${cell.expect.message}`);
    }
    results.forEach((result, i) => {
      if (result.audio && !result.audio.equals(refs.pool[i]!)) failures.push(`stream ${i} "succeeded" with ${result.audio.length} of ${refs.pool[i]!.length} bytes`);
    });
    if (cell.expect.requests !== undefined && requests !== cell.expect.requests) failures.push(`${requests} handshakes, expected ${String(cell.expect.requests)}`);
    if (ms > maxMs) failures.push(`took ${ms} ms, more than ${maxMs}`);
    const leaked = message.includes(SECRET_KEY);
    if (leaked) failures.push('THE API KEY APPEARS IN AN ERROR');
    const output = `${results.length - failed.length} of 5 streams complete, ${failed.length} reported failed`;
    return { row: row.id, fault: row.fault, command: 'pool', code, ms, requests, message, output, failures, todo: cell.todo, leaked, run: { ...empty, code, stderr: message } };
  } finally {
    await emulator.close();
  }
}

function argsFor(command: Exclude<CommandName, 'pool' | 'mcp'>, dir: string): { args: string[]; input?: string; outPath?: string } {
  switch (command) {
    case 'say':
      return { args: ['say', SAY_TEXT, '-o', `${dir}/out.wav`], outPath: `${dir}/out.wav` };
    case 'stream':
      return { args: ['stream', '-o', `${dir}/out.wav`], input: STREAM_TEXT, outPath: `${dir}/out.wav` };
    case 'transcribe':
      return { args: ['transcribe', inputWav(dir), '--no-voice-profile'] };
    case 'voices':
      return { args: ['voices', '--json'] };
  }
}

function requestCount(emulator: RunningEmulator, command: Exclude<CommandName, 'pool' | 'mcp'>): number {
  switch (command) {
    case 'say':
      return emulator.requests.find(TTS_STREAM_PATH).length;
    case 'stream':
      return emulator.requests.find(TTS_WS_PATH).length;
    case 'transcribe':
      return emulator.requests.find(STT_WS_PATH).length;
    case 'voices':
      return emulator.requests.find(VOICES_PATH).length + emulator.requests.find(LEGACY_VOICES_PATH).length;
  }
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function targetEnv(cell: Cell, emulator: RunningEmulator, cleanups: Array<() => Promise<void>>): Promise<Record<string, string>> {
  const target = cell.target ?? { kind: 'emulator' };
  switch (target.kind) {
    case 'emulator':
      return envFor(emulator);
    case 'refused': {
      const port = await closedPort();
      return envFor({ url: `http://127.0.0.1:${port}/`, wsUrl: `ws://127.0.0.1:${port}/` });
    }
    case 'dns':
      // .invalid never resolves (RFC 6761); https so the plaintext-key guard is not what answers.
      return envFor({ url: 'https://nonexistent.invalid/', wsUrl: 'wss://nonexistent.invalid/' });
    case 'tls': {
      const port = new URL(emulator.url).port;
      return envFor({ url: `https://127.0.0.1:${port}/`, wsUrl: `wss://127.0.0.1:${port}/` });
    }
    case 'proxy': {
      const proxy = await startFaultProxy(emulator.url, target.faults);
      cleanups.push(() => proxy.close());
      return envFor({ url: proxy.url, wsUrl: emulator.wsUrl });
    }
  }
}

/** Clean runs of every command, against an emulator without faults. */
export async function makeReferences(): Promise<References> {
  const emulator = await quietEmulator();
  const tmp = tempDir('inworld-matrix-ref-');
  try {
    emulator.faults.add(scriptRule(TRANSCRIPT_TURNS));
    const env = envFor(emulator);
    const out: Partial<References> = {};
    out.pool = (await poolRun(emulator, {})).map((result) => {
      if (!result.audio) throw new Error(`reference pool run failed: ${String(result.error)}`);
      return result.audio;
    });
    for (const command of ['say', 'stream', 'transcribe', 'voices'] as const) {
      const { args, input, outPath } = argsFor(command, tmp.dir);
      const run = await runCli([...args, '-q'], { env, input });
      if (run.code !== 0) throw new Error(`reference run of ${command} failed (${run.code}): ${run.stderr}`);
      if (command === 'say' || command === 'stream') {
        const wav = checkWavBytes(readFileSync(outPath!));
        if (!wav.valid) throw new Error(`reference ${command} WAV invalid: ${wav.reason}`);
        out[command] = wav.data!;
      } else {
        out[command] = run.stdout.toString('utf8');
      }
    }
    return out as References;
  } finally {
    tmp.cleanup();
    await emulator.close();
  }
}

export async function runCell(row: Row, command: CommandName, cell: Cell, refs: References): Promise<Outcome> {
  if (command === 'pool') return runPoolCell(row, cell, refs);
  if (command === 'mcp') return runMcpCell(row, cell, refs);
  const emulator = await quietEmulator();
  const tmp = tempDir(`inworld-matrix-${row.id}-${command}-`);
  const cleanups: Array<() => Promise<void>> = [];
  try {
    emulator.faults.add(scriptRule(TRANSCRIPT_TURNS));
    for (const rule of cell.rules ?? []) emulator.faults.add(rule);
    const env = await targetEnv(cell, emulator, cleanups);
    const { args, input, outPath } = argsFor(command, tmp.dir);
    const flags = ['--timeout', String(TIMEOUT_MS), '--retries', String(RETRIES), '-q', ...(cell.args ?? [])];
    const maxMs = cell.expect.maxMs ?? DEFAULT_MAX_MS;
    const run = await runCli([...args, ...flags], { env, input, deadlineMs: maxMs + 2_000 });
    const expect = cell.expect;
    const failures: string[] = [];
    const lines = stderrLines(run.stderr);
    const message = run.code === 0 ? '' : (lines.at(-1) ?? '');

    if (run.killed) failures.push(`hung: killed after ${run.ms} ms`);
    if (run.code !== expect.code) failures.push(`exit ${run.code}, expected ${expect.code}`);
    if (expect.code !== 0) {
      if (lines.length !== 1) failures.push(`stderr has ${lines.length} lines, expected one: ${JSON.stringify(run.stderr.slice(0, 400))}`);
      if (expect.message && !expect.message.test(message)) failures.push(`message ${JSON.stringify(message)} does not match ${expect.message}`);
      if (!/^inworld: /.test(message)) failures.push('the error line does not start with "inworld: "');
    } else if (lines.length > 0) {
      failures.push(`stderr not empty with -q: ${JSON.stringify(run.stderr.slice(0, 400))}`);
    }
    if (STACK_TRACE.test(run.stderr) || /Unhandled|uncaught/i.test(run.stderr)) failures.push('a stack trace or unhandled error on stderr');
    const leaked = allOutput(run).includes(SECRET_KEY);
    if (leaked) failures.push('THE API KEY APPEARS IN THE OUTPUT');

    const requests = (cell.target?.kind ?? 'emulator') === 'emulator' ? requestCount(emulator, command) : undefined;
    if (expect.requests !== undefined && requests !== undefined) {
      const [min, max] = typeof expect.requests === 'number' ? [expect.requests, expect.requests] : expect.requests;
      if (requests < min || requests > max) failures.push(`${requests} requests, expected ${min === max ? min : `${min}..${max}`}`);
    }
    if (expect.minMs !== undefined && run.ms < expect.minMs) failures.push(`took ${run.ms} ms, expected at least ${expect.minMs}`);
    if (run.ms > maxMs) failures.push(`took ${run.ms} ms, more than ${maxMs}`);

    const output = checkOutput(command, outPath, tmp.dir, run, refs, expect.output, failures);
    return { row: row.id, fault: row.fault, command, code: run.code, ms: run.ms, requests, message, output, failures, todo: cell.todo, leaked, run };
  } finally {
    for (const cleanup of cleanups) await cleanup();
    tmp.cleanup();
    await emulator.close();
  }
}

/** Checks the output against the expectation; returns a short description for the table. */
export function checkOutput(
  command: Exclude<CommandName, 'pool' | 'mcp'>,
  outPath: string | undefined,
  dir: string,
  run: Run,
  refs: References,
  expected: Cell['expect']['output'],
  failures: string[],
): string {
  if (command === 'say' || command === 'stream') {
    const leftovers = readdirSync(dir).filter((name) => name.includes('.part') || (name.startsWith('.') && name.includes('out.wav')));
    if (leftovers.length > 0) failures.push(`temporary files left: ${leftovers.join(', ')}`);
    const reference = refs[command];
    if (!existsSync(outPath!)) {
      if (expected === 'complete' || expected === 'prefix') failures.push('no output file');
      return 'absent';
    }
    const wav = checkWavBytes(readFileSync(outPath!));
    if (!wav.valid) {
      failures.push(`output file is not a valid WAV: ${wav.reason}`);
      return `invalid WAV (${wav.reason})`;
    }
    const data = wav.data!;
    const equal = data.equals(reference);
    if (expected === 'absent') failures.push(`an output file of ${data.length} bytes was left`);
    if (expected === 'complete' && !equal) failures.push(`audio differs from the clean run (${data.length} vs ${reference.length} bytes)`);
    if (expected === 'prefix' || expected === 'either') {
      // A prefix of the clean run, or (for the oversized-line case) the clean run with extra silence.
      const isPrefix = data.length <= reference.length && reference.subarray(0, data.length).equals(data);
      if (!isPrefix && !containsInOrder(data, reference)) failures.push(`audio is not what arrived: ${data.length} bytes, not a prefix of the clean ${reference.length}`);
    }
    if (equal) return `complete WAV (${data.length} B)`;
    return `valid WAV, ${data.length} of ${reference.length} B`;
  }
  const text = run.stdout.toString('utf8');
  const reference = refs[command];
  if (text === '') {
    if (expected === 'complete' || expected === 'prefix') failures.push('no output');
    return 'none';
  }
  if (expected === 'absent') failures.push(`output printed: ${JSON.stringify(text.slice(0, 200))}`);
  if (expected === 'complete' && text !== reference) failures.push(`output differs from the clean run: ${JSON.stringify(text.slice(0, 200))}`);
  if ((expected === 'prefix' || expected === 'either') && !reference.startsWith(text)) failures.push(`output is not a prefix of the clean run: ${JSON.stringify(text.slice(0, 200))}`);
  if (text === reference) return command === 'transcribe' ? `complete (${text.split('\n').length - 1} lines)` : 'complete JSON';
  return `partial (${text.length} of ${reference.length} chars)`;
}

/** True when `data` is `reference` with zero bytes inserted somewhere (a silent oversized line). */
function containsInOrder(data: Buffer, reference: Buffer): boolean {
  let start = 0;
  while (start < data.length && start < reference.length && data[start] === reference[start]) start += 1;
  let end = 0;
  while (end < data.length - start && end < reference.length - start && data[data.length - 1 - end] === reference[reference.length - 1 - end]) end += 1;
  const inserted = data.subarray(start, data.length - end);
  return start + end >= reference.length && inserted.every((byte) => byte === 0);
}
