// 4. Streaming latency: `inworld stream -o -` versus raw/ws-stream.mjs; time from a sentence's
// last character written to stdin to its first audio byte on stdout.
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { sentenceLatencies } from '../lib/interactive.js';
import { median, ms } from '../lib/stats.js';

const SENTENCES = [
  'This first sentence warms the connection up.',
  'The quick brown fox jumps over the lazy dog.',
  'Seven bright stars shine above the quiet hills.',
  'Rivers run toward an open sea under morning light.',
  'A lazy dog sleeps while the fox keeps running.',
  'Quiet hills and open seas are all we need today.',
];

export async function streamLatency(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const section = ctx.section('stream', '4. Streaming latency: `inworld stream` vs raw `ws`', '`inworld stream -o -` and `bench/raw/ws-stream.mjs` (one raw `ws` connection; each stdin line becomes one `send_text` with `flush_context`; audio decoded and written after a WAV header) each get sentences on stdin one at a time, each line written only after the previous sentence\'s audio has stopped arriving. Measured: from writing the sentence (ending in a newline) to the first audio byte on stdout; the first sentence (connection warm-up) is not counted. Target: CLI within 5 ms of the raw script (medians).');
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const env = ctx.cliEnv(emulator.url, emulator.wsUrl);
  const sentences = ctx.quick ? SENTENCES.slice(0, 4) : SENTENCES;
  const rounds = ctx.reps(2, 4);
  const raw: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < rounds; i++) {
    raw.push(...(await sentenceLatencies(NODE, [join(BENCH_DIR, 'raw', 'ws-stream.mjs')], { env, sentences, headerBytes: 44 })));
    cli.push(...(await sentenceLatencies(NODE, [CLI, 'stream', '-o', '-', '-q'], { env, sentences, headerBytes: 44 })));
  }
  const difference = median(cli) - median(raw);
  section.rows.push(
    { measure: 'raw `ws` script: sentence → first audio', figure: ms(median(raw), 2) },
    { measure: '`inworld stream`: sentence → first audio', figure: ms(median(cli), 2) },
    { measure: 'CLI − raw (medians)', figure: ms(difference, 2), target: '≤ 5 ms', ok: difference <= 5 },
  );
  section.notes.push(`${rounds} processes of each, ${sentences.length - 1} measured sentences per process (${raw.length} samples each).`);
}
