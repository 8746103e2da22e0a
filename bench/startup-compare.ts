// Start-up of two builds of the CLI side by side: `inworld --help` and `inworld say --help` from
// two checkouts, interleaved run by run so machine load hits both alike. For a refactor's
// before/after check:
//   node --import tsx bench/startup-compare.ts <before-checkout> <after-checkout> [runs]
// Each checkout must be built (dist/). Prints the median and interquartile range per command, and,
// when valgrind is installed, the instructions each executes (callgrind, four runs each): a figure
// machine load does not move, for when the wall times are noisy.
import { join } from 'node:path';
import { check, run } from './lib/proc.js';
import { median } from './lib/stats.js';

const [before, after, runsArg] = process.argv.slice(2);
if (!before || !after) {
  process.stderr.write('usage: node --import tsx bench/startup-compare.ts <before-checkout> <after-checkout> [runs]\n');
  process.exit(2);
}
const runs = Number(runsArg ?? 21);
const commands = [['--help'], ['say', '--help']];
const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
const times = new Map<string, number[]>();

for (let i = 0; i < runs; i += 1) {
  for (const args of commands) {
    for (const [label, root] of [['before', before], ['after', after]] as const) {
      const key = `${label} inworld ${args.join(' ')}`;
      const result = check(await run(process.execPath, [join(root, 'bin', 'inworld.js'), ...args], { env }), key);
      times.set(key, [...(times.get(key) ?? []), result.wallMs]);
    }
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

for (const [key, values] of times) {
  process.stdout.write(`${key.padEnd(32)} median ${median(values).toFixed(1)} ms  (IQR ${quantile(values, 0.25).toFixed(1)}-${quantile(values, 0.75).toFixed(1)} ms, ${values.length} runs)\n`);
}

for (const args of commands) {
  for (const [label, root] of [['before', before], ['after', after]] as const) {
    const counts: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = await run('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, join(root, 'bin', 'inworld.js'), ...args], { env, timeoutMs: 120_000 }).catch(() => undefined);
      const refs = result && /refs:\s+([\d,]+)/.exec(result.stderr)?.[1];
      if (refs) counts.push(Number(refs.replaceAll(',', '')));
    }
    if (counts.length > 0) process.stdout.write(`${`${label} inworld ${args.join(' ')}`.padEnd(32)} instructions ${counts.map((n) => `${(n / 1e6).toFixed(1)} M`).join(', ')}\n`);
  }
}
