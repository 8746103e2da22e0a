// 5b. `inworld say --batch` of 500 lines against the latency-bound ideal.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { check, run } from '../lib/proc.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';

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
  // The floor: bench/raw/ws-batch.mjs does the same work (500 lines, 100 in flight over 20 raw
  // `ws` connections, one WAV file per line written under a temporary name and renamed) with
  // nothing else, in a fresh process timed from spawn to exit like the CLI; run alternately with
  // it. "Start-up" is spawn to the first handshake the emulator saw (same clock: Date.now()).
  const walls: number[] = [];
  const floors: number[] = [];
  const startups: number[] = [];
  const floorStartups: number[] = [];
  const failures: string[] = [];
  const reps = ctx.reps(1, 3);
  const firstHandshakeAfter = async (spawnedAt: number): Promise<number> => {
    const handshakes = (await emulator.requests()).filter((r) => r.path.includes('streamBidirectional'));
    return handshakes.length > 0 ? Math.min(...handshakes.map((r) => r.receivedAtMs)) - spawnedAt : Number.NaN;
  };
  try {
    for (let i = 0; i < reps; i++) {
      const rawDir = join(ctx.tmp, `raw-${i}`);
      mkdirSync(rawDir);
      await emulator.requests();
      let spawnedAt = Date.now();
      const raw = check(await run(NODE, [join(BENCH_DIR, 'raw', 'ws-batch.mjs'), emulator.wsUrl, file, rawDir, String(CONCURRENCY), '8000'], { keepStdout: true, timeoutMs: 120_000 }), 'raw batch');
      floorStartups.push(await firstHandshakeAfter(spawnedAt));
      const rawFiles = readdirSync(rawDir).length;
      if (rawFiles !== LINES) failures.push(`raw run ${i + 1}: ${rawFiles} files`);
      floors.push(raw.wallMs);

      const dir = join(ctx.tmp, `batch-${i}`);
      mkdirSync(dir);
      spawnedAt = Date.now();
      const result = await run(NODE, [CLI, 'say', '--batch', file, '--out-dir', dir, '--concurrency', String(CONCURRENCY), '--sample-rate', '8000', '-q'], { env: ctx.cliEnv(emulator.url, emulator.wsUrl), timeoutMs: 120_000 });
      startups.push(await firstHandshakeAfter(spawnedAt));
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
    { measure: 'raw floor: `bench/raw/ws-batch.mjs`, same lines and files, spawn to exit', figure: `${ms(median(floors), 0)} (${x(median(floors) / ideal)} ideal); \`say --batch\` / floor ${x(pairedRatio(walls, floors))}` },
    { measure: 'spawn → first handshake: `say --batch` / raw floor', figure: `${ms(median(startups), 0)} / ${ms(median(floorStartups), 0)}` },
    { measure: 'errors', figure: failures.length ? failures.join('; ') : 'none', target: 'none', ok: failures.length === 0 },
  );
  section.notes.push(`${reps} interleaved run(s) of each.`);
}
