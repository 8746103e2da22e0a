// 2. Time to first audio over HTTP: `inworld say TEXT -o -` versus raw/http-say.mjs (the same POST
// with node:http, decoding the first line and writing it), both against the emulator with zero
// added latency, through a proxy that timestamps the first NDJSON line handed to the client.
import { join } from 'node:path';
import { BenchContext, BENCH_DIR, CLI, NODE } from '../lib/context.js';
import type { EmulatorProcess } from '../lib/emulator.js';
import { countInstructions, millions } from '../lib/instructions.js';
import { check, run, type RunResult } from '../lib/proc.js';
import { FirstLineProxy } from '../lib/proxy.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';

const TEXT = 'Hello there, this is a benchmark sentence.';
const WAV_HEADER_BYTES = 44;

interface Sample {
  wallMs: number;
  firstAudioMs: number;
  /** First NDJSON line forwarded to the client -> first audio byte read from its stdout. */
  clientDelayMs: number;
}

async function measure(proxy: FirstLineProxy, command: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  proxy.firstLineAt = [];
  let bytes = 0;
  let firstAudioAt = Number.NaN;
  const result: RunResult = check(
    await run(NODE, command, {
      env,
      onStdout: (chunk, at) => {
        // The streaming WAV header may be written before any audio arrives: count audio only.
        if (bytes <= WAV_HEADER_BYTES && bytes + chunk.length > WAV_HEADER_BYTES) firstAudioAt = at;
        bytes += chunk.length;
      },
    }),
    command.join(' '),
  );
  return {
    wallMs: result.wallMs,
    firstAudioMs: firstAudioAt - result.spawnedAt,
    clientDelayMs: firstAudioAt - (proxy.firstLineAt[0] ?? Number.NaN),
  };
}

export async function httpFirstAudio(ctx: BenchContext, emulator: EmulatorProcess): Promise<void> {
  const section = ctx.section('http-ttfa', '2. Time to first audio over HTTP', `\`inworld say "${TEXT}" -o -\` versus \`bench/raw/http-say.mjs\` (one POST with node:http, NDJSON decoded line by line, a WAV header and the PCM written to stdout), emulator with zero added latency. Wall = spawn to exit; first audio = spawn to the first audio byte (past the 44-byte WAV header) read from the child's stdout; client delay = from the proxy forwarding the first complete NDJSON line to that first audio byte. Targets: CLI wall and first audio ≤ 1.2x raw; the client's delay at most the raw script's + 1 ms. The CLI keeps a code cache per command (written by its first run); the timed runs come after one untimed run.`);
  await emulator.set({ generationLatencyMs: 0, firstByteLatencyMs: 0 });
  const proxy = new FirstLineProxy();
  await proxy.start(new URL(emulator.url));
  const env = ctx.cliEnv(proxy.url);
  const reps = ctx.reps(5, 15);
  const raw: Sample[] = [];
  const rawCommander: Sample[] = [];
  const cli: Sample[] = [];
  const cold: number[] = [];
  try {
    // A command's first run compiles the CLI and writes its code cache; the timed runs after it
    // are what every later run costs. Three runs with an empty cache each show the first.
    for (let i = 0; i < 3; i++) {
      const fresh = { ...env, XDG_CACHE_HOME: join(ctx.tmp, `cold-cache-${i}`) };
      cold.push((await measure(proxy, [CLI, 'say', TEXT, '-o', '-'], fresh)).wallMs);
    }
    await measure(proxy, [CLI, 'say', TEXT, '-o', '-'], env);
    for (let i = 0; i < reps; i++) {
      raw.push(await measure(proxy, [join(BENCH_DIR, 'raw', 'http-say.mjs'), TEXT], env));
      rawCommander.push(await measure(proxy, [join(BENCH_DIR, 'raw', 'http-say-commander.mjs'), TEXT, '-o', '-'], env));
      cli.push(await measure(proxy, [CLI, 'say', TEXT, '-o', '-'], env));
    }
  } finally {
    await proxy.close();
  }
  // In-process trace (bench/lib/trace-first-audio.mjs preloaded): the client's own delay without
  // the proxy and pipe hops. Separate runs, since the preload adds to start-up.
  const trace = async (command: string[]) => {
    const result = check(await run(NODE, ['--import', join(BENCH_DIR, 'lib', 'trace-first-audio.mjs'), ...command], { env: ctx.cliEnv(emulator.url) }), 'traced run');
    return Number(/trace-first-audio: ([\d.]+)/.exec(result.stderr)?.[1] ?? Number.NaN);
  };
  const rawTrace: number[] = [];
  const cliTrace: number[] = [];
  for (let i = 0; i < reps; i++) {
    rawTrace.push(await trace([join(BENCH_DIR, 'raw', 'http-say.mjs'), TEXT]));
    cliTrace.push(await trace([CLI, 'say', TEXT, '-o', '-']));
  }
  const instructions = await countInstructions(env, NODE, [
    [join(BENCH_DIR, 'raw', 'http-say.mjs'), TEXT],
    [join(BENCH_DIR, 'raw', 'http-say-commander.mjs'), TEXT, '-o', '-'],
    [CLI, 'say', TEXT, '-o', '-'],
    ['-e', ''],
  ]);
  const pick = (samples: Sample[], key: keyof Sample) => samples.map((s) => s[key]);
  const wallRatio = pairedRatio(pick(cli, 'wallMs'), pick(raw, 'wallMs'));
  const firstRatio = pairedRatio(pick(cli, 'firstAudioMs'), pick(raw, 'firstAudioMs'));
  const commanderRatio = pairedRatio(pick(rawCommander, 'wallMs'), pick(raw, 'wallMs'));
  const cliDelay = median(pick(cli, 'clientDelayMs'));
  const rawDelay = median(pick(raw, 'clientDelayMs'));
  section.rows.push(
    { measure: 'raw script: wall / first audio', figure: `${ms(median(pick(raw, 'wallMs')))} / ${ms(median(pick(raw, 'firstAudioMs')))}` },
    { measure: 'CLI: wall / first audio', figure: `${ms(median(pick(cli, 'wallMs')))} / ${ms(median(pick(cli, 'firstAudioMs')))}` },
    { measure: 'CLI / raw, wall (end to end)', figure: x(wallRatio), target: '≤ 1.2x', ok: wallRatio <= 1.2 },
    { measure: 'CLI / raw, first audio', figure: x(firstRatio), target: '≤ 1.2x', ok: firstRatio <= 1.2 },
    { measure: 'CLI, a command\'s first run (empty code cache): wall, and / raw median', figure: `${ms(median(cold))}, ${x(median(cold) / median(pick(raw, 'wallMs')))}` },
    { measure: 'raw script + commander parsing a `say` command line (`bench/raw/http-say-commander.mjs`): wall, and / raw', figure: `${ms(median(pick(rawCommander, 'wallMs')))}, ${x(commanderRatio)}` },
    { measure: 'CLI / (raw + commander), wall', figure: x(pairedRatio(pick(cli, 'wallMs'), pick(rawCommander, 'wallMs'))) },
    { measure: 'raw script: first line received → first audio byte out', figure: ms(rawDelay, 2) },
    { measure: 'CLI: first line received → first audio byte out', figure: ms(cliDelay, 2), target: '≤ raw + 1 ms', ok: cliDelay <= rawDelay + 1 },
    { measure: 'raw script, traced in-process: first line on the socket → first audio write', figure: ms(median(rawTrace), 2) },
    { measure: 'CLI, traced in-process: first line on the socket → first audio write', figure: ms(median(cliTrace), 2), target: '≤ raw + 1 ms', ok: median(cliTrace) <= median(rawTrace) + 1 },
  );
  if (instructions) {
    const [rawIr, commanderIr, cliIr, floorIr] = instructions as [number, number, number, number];
    const m = millions;
    section.rows.push(
      { measure: 'CPU instructions (callgrind): `node -e ""` / raw / raw + commander / CLI', figure: `${m(floorIr)} / ${m(rawIr)} / ${m(commanderIr)} / ${m(cliIr)}` },
      { measure: 'CPU instructions, CLI / raw (noise-free counterpart of the wall ratio)', figure: x(cliIr / rawIr) },
    );
    section.notes.push('Instruction counts come from one `valgrind --tool=callgrind` run each: they do not depend on what else the machine is doing, so they show the CPU work behind the wall ratio when the timings are noisy. The floor includes whatever every Node process pays at start here (for instance parsing `NODE_EXTRA_CA_CERTS`, when set).');
  }
  section.notes.push(
    `${reps} interleaved runs each. The client delay includes one loopback hop (proxy → client) and one pipe hop (client stdout → bench), which the raw script pays too; its median is the floor of that measurement. The traced rows come from separate runs with \`bench/lib/trace-first-audio.mjs\` preloaded: it wraps the socket's \`push\` and \`process.stdout.write\` to take timestamps, nothing else, so they show the client's own delay without the hops.`,
  );
}
