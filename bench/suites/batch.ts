// 5b. `inworld say --batch` of 500 lines against the latency-bound ideal.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { check, run } from '../lib/proc.js';
import { median, ms, x } from '../lib/stats.js';

const LINES = 500;
const CONCURRENCY = 100;

export async function batch(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const latencyMs = 500;
  const ideal = Math.ceil(LINES / CONCURRENCY) * latencyMs;
  const section = ctx.section('batch', '5b. `say --batch` of 500 lines', `\`inworld say --batch lines.txt --out-dir DIR --concurrency ${CONCURRENCY} --sample-rate 8000\` with ${LINES} short lines, emulator adding ${latencyMs} ms per generation. Ideal (latency-bound) = ceil(${LINES}/${CONCURRENCY}) × ${latencyMs} ms = ${ideal} ms. Wall time includes start-up. Target: within 1.2x of ideal, no errors.`);
  const help = await run(NODE, [CLI, 'say', '--help'], { keepStdout: true, env: ctx.cliEnv(emulator.url) });
  if (!help.stdout!.toString().includes('--batch')) {
    section.notes.push('Not measured: `inworld say --batch` is not in this build yet.');
    return;
  }
  const file = join(ctx.tmp, 'lines.txt');
  writeFileSync(file, Array.from({ length: LINES }, (_, i) => `This is line number ${i + 1} of the batch.`).join('\n') + '\n');
  await emulator.set({ generationLatencyMs: latencyMs });
  // The floor per wave on this machine: 100 one-line streams over raw `ws` (20 sockets × 5
  // contexts) at the same latency; 500 lines at concurrency 100 are five such waves.
  const waves: number[] = [];
  for (let i = 0; i < 2; i++) {
    const raw = check(await run(NODE, [join(BENCH_DIR, 'raw', 'ws-concurrent.mjs'), emulator.wsUrl, String(CONCURRENCY), 'This is line number 1 of the batch.'], { keepStdout: true, timeoutMs: 60_000 }), 'raw wave');
    waves.push((JSON.parse(raw.stdout!.toString().trim()) as { elapsedMs: number }).elapsedMs);
  }
  const floor = Math.ceil(LINES / CONCURRENCY) * median(waves);
  const walls: number[] = [];
  const failures: string[] = [];
  const reps = ctx.reps(1, 3);
  try {
    for (let i = 0; i < reps; i++) {
      const dir = join(ctx.tmp, `batch-${i}`);
      mkdirSync(dir);
      const result = await run(NODE, [CLI, 'say', '--batch', file, '--out-dir', dir, '--concurrency', String(CONCURRENCY), '--sample-rate', '8000', '-q'], { env: ctx.cliEnv(emulator.url, emulator.wsUrl), timeoutMs: 120_000 });
      const files = readdirSync(dir).length;
      if (result.code !== 0 || files !== LINES) failures.push(`run ${i + 1}: exit ${result.code ?? result.signal}, ${files} files; ${result.stderr.trim().slice(-200)}`);
      walls.push(result.wallMs);
    }
  } finally {
    await emulator.set({ generationLatencyMs: 0 });
  }
  const ratio = median(walls) / ideal;
  section.rows.push(
    { measure: 'ideal', figure: ms(ideal, 0) },
    { measure: '`say --batch` wall / ideal', figure: `${ms(median(walls), 0)} (${x(ratio)})`, target: '≤ 1.2x', ok: ratio <= 1.2 },
    { measure: `raw floor: ${Math.ceil(LINES / CONCURRENCY)} waves × one raw-\`ws\` wave of ${CONCURRENCY} streams (${ms(median(waves), 0)})`, figure: `${ms(floor, 0)} (${x(floor / ideal)} ideal); \`say --batch\` / floor ${x(median(walls) / floor)}` },
    { measure: 'errors', figure: failures.length ? failures.join('; ') : 'none', target: 'none', ok: failures.length === 0 },
  );
  section.notes.push(`${reps} run(s).`);
}
