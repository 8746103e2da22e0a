// 4b. A sentence that ends without a newline, stdin left open: `inworld stream -o -` (which must
// wait for its --idle-flush window to know the sentence is over) versus raw/ws-stream.mjs
// --chunks (which sends each stdin chunk the moment it arrives); time from the sentence's last
// character written to its first audio byte on stdout.
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { sentenceLatencies } from '../lib/interactive.js';
import { median, ms } from '../lib/stats.js';
import { DEFAULT_IDLE_FLUSH_MS } from '../../src/tts/live-sentences.js';

const SENTENCES = [
  'This is the first sentence.',
  'The quick brown fox jumps over the lazy dog.',
  'Seven bright stars shine above the quiet hills.',
  'Rivers run toward an open sea under morning light.',
  'A lazy dog sleeps while the fox keeps running.',
  'Quiet hills and open seas are all we need today.',
];

export async function streamIdle(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const section = ctx.section(
    'stream-idle',
    '4b. A sentence followed by a pause: `inworld stream` vs raw `ws`',
    `Each sentence is written as \`<sentence> \` (a space and then nothing, as a language model's tokens end a sentence), stdin left open, the next only after the previous sentence's audio has stopped arriving. \`inworld stream -o -\` can only tell the sentence is over from the pause (\`--idle-flush\`, default ${DEFAULT_IDLE_FLUSH_MS} ms); \`bench/raw/ws-stream.mjs --chunks\` sends each stdin chunk with \`flush_context\` the moment it arrives. Measured: from writing the sentence to its first audio byte on stdout; the first sentence (connection warm-up) is not counted. Target: CLI − raw at most the idle window + 5 ms (medians).`,
  );
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const env = ctx.cliEnv(emulator.url, emulator.wsUrl);
  const sentences = ctx.quick ? SENTENCES.slice(0, 4) : SENTENCES;
  const rounds = ctx.reps(2, 4);
  const options = { env, sentences, headerBytes: 44, ending: ' ' };
  const raw: number[] = [];
  const cli: number[] = [];
  const cliNoWindow: number[] = [];
  for (let i = 0; i < rounds; i++) {
    raw.push(...(await sentenceLatencies(NODE, [join(BENCH_DIR, 'raw', 'ws-stream.mjs'), '--chunks'], options)));
    cli.push(...(await sentenceLatencies(NODE, [CLI, 'stream', '-o', '-', '-q'], options)));
    cliNoWindow.push(...(await sentenceLatencies(NODE, [CLI, 'stream', '-o', '-', '-q', '--idle-flush', '0'], options)));
  }
  const difference = median(cli) - median(raw);
  const target = DEFAULT_IDLE_FLUSH_MS + 5;
  section.rows.push(
    { measure: 'raw `ws` script (--chunks): sentence → first audio', figure: ms(median(raw), 2) },
    { measure: `\`inworld stream\` (--idle-flush ${DEFAULT_IDLE_FLUSH_MS}, the default): sentence → first audio`, figure: ms(median(cli), 2) },
    { measure: 'CLI − raw (medians)', figure: ms(difference, 2), target: `≤ ${target} ms (idle window + 5)`, ok: difference <= target },
    { measure: '`inworld stream --idle-flush 0` − raw (medians): the cost beyond the window', figure: ms(median(cliNoWindow) - median(raw), 2) },
  );
  section.notes.push(`${rounds} processes of each, ${sentences.length - 1} measured sentences per process (${raw.length} samples each).`);
}
