// Benchmarks for `inworld stream` and the TTS WebSocket pool (issue 3's performance targets), as
// suites for bench/run.ts (`(ctx, emulator) => Promise<void>`), also runnable alone through
// bench/stream-run.ts.
//   stream-latency : time from a sentence's final character reaching stdin to its first audio
//                    byte on stdout, `inworld stream -o - --encoding PCM` versus
//                    bench/stream-raw-client.ts (one raw `ws` context); target within 5 ms.
//   stream-pool    : 100 concurrent streams over one TtsPool versus one stream, with the
//                    emulator's per-generation latency dominating; target within 1.2x.
//   stream-memory  : peak RSS of `inworld stream -f <text> -o out.ulaw` for a large and a 10x
//                    larger text; target within 1.2x.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchContext, BENCH_DIR, CLI, NODE, ROOT_DIR } from './lib/context.js';
import type { EmulatorProcess } from './lib/emulator.js';
import { check, run } from './lib/proc.js';
import { mb, median, ms, x } from './lib/stats.js';

const SAMPLE_RATE_HZ = 16000;
/** Time without stdout data after which a sentence's audio is taken as fully drained. */
const DRAIN_QUIET_MS = 150;

/** Per-sentence latencies (ms) of one child that reads sentences on stdin and writes audio to stdout. */
async function sentenceLatencies(args: string[], env: NodeJS.ProcessEnv, sentences: number): Promise<number[]> {
  const child = spawn(NODE, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let lastDataAt = performance.now();
  let onFirst: ((at: number) => void) | undefined;
  child.stdout.on('data', () => {
    const at = performance.now();
    lastDataAt = at;
    const wake = onFirst;
    onFirst = undefined;
    wake?.(at);
  });
  let closed = false;
  let onClose: (() => void) | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      closed = true;
      onClose?.();
      resolve(code);
    }),
  );
  const latencies: number[] = [];
  // Sentence 0 warms up the connection and the JIT; it is not counted.
  for (let i = 0; i <= sentences; i++) {
    while (performance.now() - lastDataAt < DRAIN_QUIET_MS) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_QUIET_MS / 3));
    }
    if (closed) throw new Error(`child exited early: ${stderr.slice(-500)}`);
    const first = new Promise<number>((resolve, reject) => {
      onFirst = resolve;
      onClose = () => reject(new Error(`child exited early: ${stderr.slice(-500)}`));
    });
    const sentAt = performance.now();
    child.stdin.write(`Sentence number ${i} is short.\n`);
    const at = await first;
    if (i > 0) latencies.push(at - sentAt);
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
  return latencies;
}

export async function streamLatency(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const section = ctx.section(
    'stream-latency',
    'Stream: sentence end on stdin to first audio byte on stdout',
    '`inworld stream -o - --encoding PCM` versus `bench/stream-raw-client.ts` (one raw `ws` context, each stdin line sent with flush, audio written as it arrives), both long-running children fed one sentence at a time, emulator with zero latency. Each figure: time from writing the sentence\'s final characters (with its newline) to the child\'s first stdout byte for it. Target: the CLI within 5 ms of the raw script (median of per-sentence differences).',
  );
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const env = ctx.cliEnv(emulator.url, emulator.wsUrl);
  const sentences = ctx.reps(10, 30);
  const rounds = ctx.reps(2, 3);
  const cli: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < rounds; round++) {
    cli.push(...(await sentenceLatencies([CLI, 'stream', '-o', '-', '--encoding', 'PCM', '--sample-rate', String(SAMPLE_RATE_HZ)], env, sentences)));
    raw.push(
      ...(await sentenceLatencies(['--import', 'tsx', join(BENCH_DIR, 'stream-raw-client.ts'), emulator.wsUrl, String(SAMPLE_RATE_HZ)], { ...env, NODE_PATH: join(ROOT_DIR, 'node_modules') }, sentences)),
    );
  }
  const difference = median(cli) - median(raw);
  section.rows.push({ measure: 'inworld stream, median per sentence', figure: ms(median(cli), 2) });
  section.rows.push({ measure: 'raw ws script, median per sentence', figure: ms(median(raw), 2) });
  section.rows.push({ measure: 'difference (CLI minus raw)', figure: ms(difference, 2), target: '≤ 5 ms', ok: difference <= 5 });
  section.notes.push(`${cli.length} sentences per client over ${rounds} interleaved rounds; the first sentence of each run (connection warm-up) is not counted.`);
}

export async function streamPool(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const section = ctx.section(
    'stream-pool',
    'Stream pool: 100 concurrent streams versus one',
    'The library\'s `TtsPool` (20 connections x 5 contexts) against the emulator with 5000 ms of per-generation latency (so that latency dominates, as the target says): wall time for one stream of one short sentence (8 kHz PCM), and for 100 such streams started together, each from a fresh pool (handshakes included). The emulator renders speech on one event loop, about 3 ms of CPU per short sentence, so 100 generations cost it some 300 ms in series: that is the emulator\'s share of the gap, not the pool\'s. Target: 100 streams within 1.2x of one.',
  );
  const latencyMs = 5000;
  await emulator.set({ generationLatencyMs: latencyMs, firstByteLatencyMs: 0 });
  const { InworldClient } = await import('../src/core/client.js');
  const { TtsPool } = await import('../src/tts/pool.js');
  const client = new InworldClient({ apiKey: 'bench-key', baseUrl: emulator.url, wsUrl: emulator.wsUrl, configPath: null, env: {} });
  const once = async (streams: number): Promise<number> => {
    const pool = new TtsPool(client);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: streams }, async (_, i) => {
        const stream = pool.stream({ audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 8000 } });
        stream.sendText(`Stream ${i}.`, { flush: true });
        stream.end();
        for await (const _chunk of stream) {
          // drain
        }
      }),
    );
    const elapsed = performance.now() - started;
    await pool.close();
    return elapsed;
  };
  const reps = ctx.reps(2, 5);
  const single: number[] = [];
  const hundred: number[] = [];
  for (let i = 0; i < reps; i++) {
    single.push(await once(1));
    hundred.push(await once(100));
  }
  await emulator.set({ generationLatencyMs: 0 });
  const ratio = median(hundred) / median(single);
  section.rows.push({ measure: 'one stream', figure: ms(median(single), 0) });
  section.rows.push({ measure: '100 concurrent streams', figure: ms(median(hundred), 0) });
  section.rows.push({ measure: 'extra time for 99 more streams', figure: ms(median(hundred) - median(single), 0) });
  section.rows.push({ measure: 'ratio', figure: x(ratio), target: '≤ 1.2x', ok: ratio <= 1.2 });
}

function writeText(path: string, bytes: number): void {
  const sentences = [
    'The quick brown fox jumps over the lazy dog.',
    'Dr. Smith arrived at 3.45 p.m. with a new plan!',
    'Is this the longest sentence in the whole book, or only the first of many?',
    'She said, "Streaming text should never need the whole file in memory."',
  ];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${sentences[i % sentences.length]} Line ${i}.\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  writeFileSync(path, lines.join(''));
}

export async function streamMemory(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  // About 5 KB of text per second through the emulator's synthetic speech: 1 MB already takes minutes.
  const small = 100_000;
  const large = small * 10;
  const section = ctx.section(
    'stream-memory',
    'Stream memory: a large text versus a 10x larger one',
    `Peak RSS (from /usr/bin/time) of \`inworld stream -f <text> -o out.ulaw\` (8 kHz mu-law, the smallest audio) for ${mb(small)} and ${mb(large)} of text, emulator with zero latency. The issue's 5 MB / 50 MB would make 20-200 GB of audio and hours of emulator CPU; the 10x ratio is what shows flat memory. Target: the larger within 1.2x of the smaller.`,
  );
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const env = ctx.cliEnv(emulator.url, emulator.wsUrl);
  const results: Array<{ bytes: number; rss: number; wall: number }> = [];
  for (const bytes of [small, large]) {
    const textPath = join(ctx.tmp, `stream-${bytes}.txt`);
    writeText(textPath, bytes);
    const result = check(
      await run(NODE, [CLI, 'stream', '-f', textPath, '-o', join(ctx.tmp, `stream-${bytes}.ulaw`), '-q'], { env, usage: true, timeoutMs: 3_600_000 }),
      `inworld stream -f ${bytes} bytes`,
    );
    results.push({ bytes, rss: result.maxRssBytes ?? Number.NaN, wall: result.wallMs });
  }
  const ratio = results[1]!.rss / results[0]!.rss;
  for (const r of results) section.rows.push({ measure: `peak RSS, ${mb(r.bytes)} of text (${(r.wall / 1000).toFixed(1)} s)`, figure: mb(r.rss) });
  section.rows.push({ measure: 'ratio', figure: x(ratio), target: '≤ 1.2x', ok: ratio <= 1.2 });
}
