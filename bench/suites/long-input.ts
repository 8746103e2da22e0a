// 6. Long input: 20,000 characters with per-request latency, pipelined (the default, two parts
// in flight) versus strictly sequential (maxPartsInFlight: 1), plus the CLI's own wall time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { check, run } from '../lib/proc.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';
import { makeText } from '../lib/text.js';

export async function longInput(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const chars = 20_000;
  const latencyMs = ctx.quick ? 500 : 1500;
  const rate = '8000';
  const section = ctx.section('long', '6. Long input: pipelined vs sequential', `A ${chars.toLocaleString('en')}-character text (split by the library at sentence boundaries into ≤ 2000-character requests), emulator adding ${latencyMs} ms per request; audio at 8 kHz, so that the run is bound by that latency rather than by the emulator's synthesis on this 2-core machine (about 23 minutes of audio). \`bench/clients/say-lib.mjs\` runs the library's \`synthesizeStream\` with the default \`maxPartsInFlight\` (2) and with 1 (strictly sequential), interleaved; the CLI (\`inworld say -f text.txt -o out.wav\`, pipelined) is timed alongside. Target: pipelined ≤ 0.6x sequential.`);
  const file = join(ctx.tmp, 'long.txt');
  writeFileSync(file, makeText(chars));
  await emulator.set({ generationLatencyMs: latencyMs });
  const reps = ctx.reps(1, 3);
  const piped: number[] = [];
  const sequential: number[] = [];
  const cli: number[] = [];
  let parts = 0;
  try {
    for (let i = 0; i < reps; i++) {
      const a = check(await run(NODE, [join(BENCH_DIR, 'clients', 'say-lib.mjs'), emulator.url, file, '2', rate], { keepStdout: true, timeoutMs: 180_000 }), 'say-lib 2');
      const b = check(await run(NODE, [join(BENCH_DIR, 'clients', 'say-lib.mjs'), emulator.url, file, '1', rate], { keepStdout: true, timeoutMs: 180_000 }), 'say-lib 1');
      const c = ctx.quick
        ? undefined
        : check(await run(NODE, [CLI, 'say', '-f', file, '-o', join(ctx.tmp, 'long.wav'), '--sample-rate', rate, '-q'], { env: ctx.cliEnv(emulator.url), timeoutMs: 180_000 }), 'inworld say -f');
      const pa = JSON.parse(a.stdout!.toString()) as { elapsedMs: number; parts: number };
      parts = pa.parts;
      piped.push(pa.elapsedMs);
      sequential.push((JSON.parse(b.stdout!.toString()) as { elapsedMs: number }).elapsedMs);
      if (c) cli.push(c.wallMs);
    }
  } finally {
    await emulator.set({ generationLatencyMs: 0 });
  }
  const ratio = pairedRatio(piped, sequential);
  section.rows.push(
    { measure: `requests (parts)`, figure: String(parts) },
    { measure: 'sequential (maxPartsInFlight 1)', figure: ms(median(sequential), 0) },
    { measure: 'pipelined (default)', figure: ms(median(piped), 0) },
    { measure: 'pipelined / sequential', figure: x(ratio), target: '≤ 0.6x', ok: ratio <= 0.6 },
    ...(cli.length ? [{ measure: 'CLI `say -f` wall (pipelined, includes start-up and WAV writing)', figure: `${ms(median(cli), 0)} (${x(pairedRatio(cli, sequential))} of the sequential library run)` }] : []),
    { measure: 'latency bound with 2 in flight: ceil(parts/2) × latency', figure: ms(Math.ceil(parts / 2) * latencyMs, 0) },
  );
  section.notes.push(`${reps} interleaved runs.`);
}
