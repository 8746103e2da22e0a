// 3. Peer client: the LiveKit Inworld plugin versus our library, in one warm process.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { check, run } from '../lib/proc.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';

type Series = { first: number[]; total: number[] };

export async function peer(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const section = ctx.section('peer', '3. Peer client: LiveKit plugin vs our library (warm process)', '`bench/clients/peer-warm.mjs`: one process loads our library (dist/) and `@livekit/agents-plugin-inworld` (bench/ only), warms both up (connections, JIT), then alternates calls: `synthesize()` (HTTP `:stream`; ours: `synthesizeStream`) and one streamed sentence over the WebSocket (ours: a pooled `TtsStream` with `sendText(…, {flush})` + `end()`; LiveKit: `stream()` + `pushText` + `endInput`). Time to first audio is from the call (or the text being handed over) to the first audio chunk/frame. Target: ours not slower at the median.');
  if (!existsSync(join(BENCH_DIR, 'node_modules', '@livekit', 'agents-plugin-inworld'))) {
    section.notes.push('Skipped: `@livekit/agents-plugin-inworld` is not installed; run `npm install` in bench/ (with `npm_config_nodedir=/usr`).');
    return;
  }
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const iterations = ctx.reps(10, 40);
  const result = check(await run(NODE, [join(BENCH_DIR, 'clients', 'peer-warm.mjs'), emulator.url, emulator.wsUrl, String(iterations)], { cwd: BENCH_DIR, timeoutMs: 120_000, keepStdout: true }), 'peer-warm');
  const data = JSON.parse(lastJsonLine(result)) as Record<string, Series>;
  for (const [label, ours, theirs] of [
    ['synthesize(), HTTP', 'oursSynthesize', 'livekitSynthesize'],
    ['streamed sentence, WebSocket', 'oursStream', 'livekitStream'],
  ] as const) {
    const o = data[ours]!;
    const t = data[theirs]!;
    const ratio = pairedRatio(o.first, t.first);
    section.rows.push(
      { measure: `${label}: first audio, ours / LiveKit`, figure: `${ms(median(o.first))} / ${ms(median(t.first))} (${x(ratio)})`, target: 'ours ≤ LiveKit', ok: median(o.first) <= median(t.first) },
      { measure: `${label}: last audio, ours / LiveKit`, figure: `${ms(median(o.total))} / ${ms(median(t.total))} (${x(pairedRatio(o.total, t.total))})` },
    );
  }
  section.notes.push(`${iterations} alternating iterations per case after one warm-up each. LiveKit plugin version: ${pluginVersion()}. Both ask for PCM at 24 kHz, model inworld-tts-1.5-max, voice Ashley. LiveKit's frames are 100 ms (AudioByteStream), and its stream holds one frame back to mark the last one final.`);
}

function lastJsonLine(result: { stdout?: Buffer }): string {
  const lines = (result.stdout ?? Buffer.alloc(0)).toString().trim().split('\n');
  return lines[lines.length - 1]!;
}

function pluginVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', '@livekit', 'agents-plugin-inworld', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}
