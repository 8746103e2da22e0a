// 5. Concurrency: 100 simultaneous one-sentence streams through our pool, the same load through
// raw `ws` connections (the floor on this machine) and through the LiveKit plugin; the emulator
// adds a fixed latency per generation, so the ideal (latency-bound) time is that latency.
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { check, run } from '../lib/proc.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';

const STREAMS = 100;
const TEXT = 'Hello there.';

interface LoadResult {
  elapsedMs: number;
  ok: number;
  errors: number;
  errorSamples?: string[];
  connections?: number;
}

async function load(args: string[]): Promise<LoadResult> {
  const result = check(await run(NODE, args, { cwd: BENCH_DIR, keepStdout: true, timeoutMs: 90_000 }), args.slice(0, 2).join(' '));
  const lines = result.stdout!.toString().trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as LoadResult;
}

export async function concurrency(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const latencyMs = 2000;
  const section = ctx.section('concurrency', '5. Concurrency', `${STREAMS} simultaneous streams, one sentence each ("${TEXT}"), each in a fresh process (connections opened as part of the load), with the emulator adding ${latencyMs} ms per generation. Ideal = ${latencyMs} ms (every generation waits in parallel). "Raw floor" = \`bench/raw/ws-concurrent.mjs\`: the same load over ${STREAMS / 5} raw \`ws\` connections with five contexts each and nothing else, which shows what this machine and the emulator allow. Target: ours within 1.2x of ideal, no errors.`);
  await emulator.set({ generationLatencyMs: latencyMs, firstByteLatencyMs: 0 });
  const reps = ctx.reps(1, 3);
  const ours: LoadResult[] = [];
  const raw: LoadResult[] = [];
  try {
    for (let i = 0; i < reps; i++) {
      raw.push(await load([join(BENCH_DIR, 'raw', 'ws-concurrent.mjs'), emulator.wsUrl, String(STREAMS), TEXT]));
      ours.push(await load([join(BENCH_DIR, 'clients', 'concurrent-streams.mjs'), 'ours', emulator.url, emulator.wsUrl, String(STREAMS), TEXT]));
    }
    const livekit = await load([join(BENCH_DIR, 'clients', 'concurrent-streams.mjs'), 'livekit', emulator.url, emulator.wsUrl, String(STREAMS), TEXT]).catch(
      (error: Error) => ({ elapsedMs: Number.NaN, ok: 0, errors: STREAMS, errorSamples: [error.message.slice(0, 200)] }) as LoadResult,
    );
    const oursMs = ours.map((r) => r.elapsedMs);
    const rawMs = raw.map((r) => r.elapsedMs);
    const oursErrors = ours.reduce((sum, r) => sum + r.errors, 0);
    const ratio = median(oursMs) / latencyMs;
    section.rows.push(
      { measure: 'ideal (latency-bound)', figure: ms(latencyMs, 0) },
      { measure: `raw floor (${STREAMS / 5} sockets × 5 contexts)`, figure: `${ms(median(rawMs), 0)} (${x(median(rawMs) / latencyMs)} ideal), errors ${raw.reduce((s, r) => s + r.errors, 0)}` },
      { measure: 'our pool: time / ideal', figure: `${ms(median(oursMs), 0)} (${x(ratio)})`, target: '≤ 1.2x', ok: ratio <= 1.2 },
      { measure: 'our pool: errors', figure: `${oursErrors} of ${STREAMS * reps}; up to ${Math.max(...ours.map((r) => r.connections ?? 0))} connections`, target: '0', ok: oursErrors === 0 },
      { measure: 'our pool / raw floor', figure: x(pairedRatio(oursMs, rawMs)) },
      {
        measure: 'LiveKit plugin, same load (one run)',
        figure: `${ms(livekit.elapsedMs, 0)}: ${livekit.ok} of ${STREAMS} streams produced audio, ${livekit.errors} failed${livekit.errorSamples?.length ? ` (${livekit.errorSamples.join('; ')})` : ''}`,
      },
    );
    section.notes.push(
      `${reps} interleaved runs of ours and the raw floor.`,
      'The LiveKit plugin opens one WebSocket and puts every context on it; the emulator, like the service, refuses a sixth context on a connection ("max contexts limit reached"), and the plugin has no limit or pool, so most of its streams end with no audio (it logs the refusal as a warning and the stream just ends).',
    );
  } finally {
    await emulator.set({ generationLatencyMs: 0 });
  }
}
