// 7. Memory (peak RSS) and 8. CPU seconds per hour of audio, measured from outside with
// /usr/bin/time on the real CLI. Inputs are generated in the run's temp dir and deleted after.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { check, run, type RunResult } from '../lib/proc.js';
import { mb, median } from '../lib/stats.js';
import { makeLines, makeText } from '../lib/text.js';
import { writeTestWav } from '../lib/wav.js';

const MB = 1024 * 1024;
const RSS_LIMIT = 150 * MB;

function cpuSeconds(result: RunResult): number {
  return (result.userSeconds ?? Number.NaN) + (result.systemSeconds ?? Number.NaN);
}

/** Seconds of audio in a WAV file written by the CLI (16-bit mono at `rate`). */
function wavSeconds(path: string, rate: number): number {
  return (statSync(path).size - 44) / (rate * 2);
}

export async function resources(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const memory = ctx.section('memory', '7. Memory: peak RSS', 'Peak resident set size of the CLI process (`/usr/bin/time -f %M`), each pair run on inputs of very different size. Target: each pair within 1.2x (flat in input size) and under 150 MB.');
  const cpu = ctx.section('cpu', '8. CPU per hour of audio', 'User + system CPU seconds of the CLI process (`/usr/bin/time`), divided by the hours of audio it produced or consumed; start-up included (what a user pays per run). Target: under 5 CPU-s per audio hour.');
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const env = ctx.cliEnv(emulator.url, emulator.wsUrl);
  const tmp = ctx.tmp;
  const pair = (label: string, small: RunResult, large: RunResult, smallLabel: string, largeLabel: string) => {
    const a = small.maxRssBytes ?? Number.NaN;
    const b = large.maxRssBytes ?? Number.NaN;
    const ratio = b / a;
    memory.rows.push({
      measure: `${label}: ${smallLabel} → ${largeLabel}`,
      figure: `${mb(a)} → ${mb(b)} (${ratio.toFixed(2)}x)`,
      target: '≤ 1.2x, < 150 MB',
      ok: ratio <= 1.2 && a < RSS_LIMIT && b < RSS_LIMIT,
    });
  };
  const perHour = (label: string, result: RunResult, audioSeconds: number) => {
    const value = (cpuSeconds(result) / audioSeconds) * 3600;
    cpu.rows.push({
      measure: label,
      figure: `${value.toFixed(2)} CPU-s per audio hour (${cpuSeconds(result).toFixed(2)} CPU-s for ${(audioSeconds / 60).toFixed(1)} min)`,
      target: '< 5',
      ok: value < 5,
    });
  };

  // Start-up CPU, for reading the per-hour figures of short runs.
  const version = await Promise.all([0, 1, 2].map(() => run(NODE, [CLI, '--version'], { env, usage: true })));
  const startupCpu = median(version.map(cpuSeconds));

  // say: the long-input text (about a minute of audio per 850 characters) into a WAV file.
  {
    const text = join(tmp, 'say.txt');
    writeFileSync(text, makeText(ctx.quick ? 10_000 : 20_000));
    const out = join(tmp, 'say.wav');
    const result = check(await run(NODE, [CLI, 'say', '-f', text, '-o', out, '-q'], { env, usage: true, timeoutMs: 300_000 }), 'say -f');
    perHour('`say -f` → WAV, 24 kHz', result, wavSeconds(out, 24_000));
    rmSync(out, { force: true });
  }

  // stream, output side: X and 10X characters of text, synthesized in full into a WAV (8 kHz to
  // keep the run short; the pipeline per sentence is the same).
  {
    const small = ctx.quick ? 5_000 : 20_000;
    const large = small * 10;
    const results: RunResult[] = [];
    for (const chars of [small, large]) {
      const text = join(tmp, `stream-${chars}.txt`);
      writeFileSync(text, makeLines(chars));
      const out = join(tmp, 'stream.wav');
      const result = check(await run(NODE, [CLI, 'stream', '-f', text, '-o', out, '--sample-rate', '8000', '-q'], { env, usage: true, timeoutMs: 300_000 }), 'stream -f');
      results.push(result);
      if (chars === large) perHour(`\`stream -f\` → WAV, 8 kHz (${(chars / 1000).toFixed(0)} kB of text)`, result, wavSeconds(out, 8_000));
      rmSync(out, { force: true });
      rmSync(text, { force: true });
    }
    pair('`stream -f` → WAV, synthesized in full', results[0]!, results[1]!, `${small / 1000} kB text`, `${large / 1000} kB text`);
    // Where the curve ends: a run long enough for V8 to grow its young generation to the cap.
    if (!ctx.quick) {
      const chars = 1_000_000;
      const text = join(tmp, 'stream-long.txt');
      writeFileSync(text, makeLines(chars));
      const out = join(tmp, 'stream.wav');
      const result = check(await run(NODE, [CLI, 'stream', '-f', text, '-o', out, '--sample-rate', '8000', '-q'], { env, usage: true, timeoutMs: 600_000 }), 'stream -f (long)');
      const bytes = result.maxRssBytes ?? Number.NaN;
      memory.rows.push({
        measure: `\`stream -f\` → WAV, synthesized in full: ${chars / 1_000_000} MB text (${(wavSeconds(out, 8_000) / 3600).toFixed(1)} h of audio)`,
        figure: `${mb(bytes)} (${(bytes / (results[0]!.maxRssBytes ?? Number.NaN)).toFixed(2)}x the ${small / 1000} kB run)`,
        target: '< 150 MB',
        ok: bytes < RSS_LIMIT,
      });
      memory.notes.push(
        'Peak RSS of `stream` still rises with length up to a cap, without any data being retained: under sustained allocation (the emulator delivers audio at ~2,500x real time) V8 grows its young generation in steps to its fixed maximum (16 MB semi-spaces on Node 20), about +25 MB in all. The 20 kB run ends before the first step; the 1 MB row shows the cap. Halving the client\'s allocations (audio cut out of frames without a second copy, file writes joined) moved the first step past the 200 kB run.',
      );
      rmSync(out, { force: true });
      rmSync(text, { force: true });
    }
  }

  // stream, input side: 5 MB and 50 MB of text with the emulator holding every generation for
  // a minute; after 4 s the run is interrupted. Flat RSS means the text is read as it is spoken,
  // not slurped (and not all sent ahead into socket buffers).
  {
    await emulator.set({ generationLatencyMs: 60_000 });
    const results: RunResult[] = [];
    try {
      for (const megabytes of [5, 50]) {
        const text = join(tmp, `big-${megabytes}.txt`);
        const line = `${makeLines(100_000)}`;
        const copies = Math.ceil((megabytes * MB) / Buffer.byteLength(line));
        writeFileSync(text, line.repeat(copies));
        const out = join(tmp, 'big.wav');
        results.push(await run(NODE, [CLI, 'stream', '-f', text, '-o', out, '-q'], { env, usage: true, interruptAfterMs: 4000, timeoutMs: 30_000 }));
        rmSync(out, { force: true });
        rmSync(text, { force: true });
      }
    } finally {
      await emulator.set({ generationLatencyMs: 0 });
    }
    pair('`stream -f` → WAV, first 4 s with generation held 60 s (then SIGINT)', results[0]!, results[1]!, '5 MB text', '50 MB text');
    memory.notes.push(`Exit codes of the interrupted stream runs: ${results.map((r) => r.code ?? r.signal).join(', ')} (130 expected).`);
  }

  // transcribe --json: short and long WAV (16 kHz mono), sent as fast as allowed.
  {
    const [shortMin, longMin] = ctx.quick ? [2, 12] : [10, 60];
    const results: RunResult[] = [];
    for (const minutes of [shortMin, longMin]) {
      const wav = join(tmp, `speech-${minutes}.wav`);
      writeTestWav(wav, minutes * 60);
      const result = check(await run(NODE, [CLI, 'transcribe', wav, '--json', '--max-chunk-rate', '0'], { env, usage: true, timeoutMs: 300_000 }), 'transcribe --json');
      results.push(result);
      rmSync(wav, { force: true });
      if (minutes === longMin) perHour(`\`transcribe --json\` of a ${minutes}-min 16 kHz WAV (\`--max-chunk-rate 0\`)`, result, minutes * 60);
    }
    pair('`transcribe --json`', results[0]!, results[1]!, `${shortMin}-min WAV`, `${longMin}-min WAV`);
  }

  cpu.notes.push(`Start-up alone (\`inworld --version\`) costs ${startupCpu.toFixed(2)} CPU-s, included in every figure above.`);
  memory.notes.push(
    'The issue asks for `stream` with 5 MB and 50 MB of text synthesized into a WAV; on this machine the emulator produces about 1 hour of audio per 50 kB of text (5 MB would be ~4 days of audio), so the synthesized-in-full pair uses 10x smaller inputs at the same 1:10 ratio, and the 5 MB/50 MB pair checks the input side with generation held.',
  );
}
