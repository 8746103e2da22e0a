// 1. Start-up: `inworld --version`, `--help`, every command's `--help`, `completion` and the
// voice lookup shells run on Tab, against `node -e ""`, interleaved.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchContext, CLI, NODE, ROOT_DIR } from '../lib/context.js';
import { countInstructions, millions } from '../lib/instructions.js';
import { check, run } from '../lib/proc.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';

const COMMANDS = ['say', 'stream', 'transcribe', 'voices', 'emulator', 'config', 'login', 'logout', 'doctor', 'completion'];
const TARGET = 1.2;

export async function startup(ctx: BenchContext): Promise<void> {
  const section = ctx.section(
    'startup',
    '1. Start-up',
    'Wall time from spawn to exit of `node bin/inworld.js --version`, `--help`, `<command> --help` for every command, `completion bash`, and the lookup of cached voice ids that the bash completion runs on Tab for `--voice`, each against `node -e ""` (the floor: a bare Node process), interleaved run by run. Target: at most 1.2x the floor.',
  );
  const reps = ctx.reps(5, 15);
  const env = ctx.cliEnv('http://127.0.0.1:9/');
  mkdirSync(join(ctx.tmp, 'cache', 'inworld'), { recursive: true });
  writeFileSync(join(ctx.tmp, 'cache', 'inworld', 'voice-ids'), 'Ashley\nDennis\nAlex\n');
  const tab = `source ${join(ROOT_DIR, 'completions', 'inworld.bash')}; COMP_WORDS=(inworld say --voice A); COMP_CWORD=3; _inworld; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const cases: Array<{ label: string; program: string; args: string[] }> = [
    { label: '`inworld --version`', program: NODE, args: [CLI, '--version'] },
    { label: '`inworld --help`', program: NODE, args: [CLI, '--help'] },
    ...COMMANDS.map((name) => ({ label: `\`inworld ${name} --help\``, program: NODE, args: [CLI, name, '--help'] })),
    { label: '`inworld completion bash`', program: NODE, args: [CLI, 'completion', 'bash'] },
    { label: 'Tab on `inworld say --voice A` (bash, cached voice ids)', program: 'bash', args: ['-c', tab] },
  ];
  const floor: number[] = [];
  const times = cases.map(() => [] as number[]);
  for (let i = 0; i < reps; i++) {
    floor.push(check(await run(NODE, ['-e', '']), 'node -e').wallMs);
    for (const [k, entry] of cases.entries()) times[k]!.push(check(await run(entry.program, entry.args, { env }), entry.label).wallMs);
  }
  section.rows.push({ measure: '`node -e ""` (floor)', figure: ms(median(floor)) });
  const ratios = cases.map((_, k) => pairedRatio(times[k]!, floor));
  const commandHelp = cases.map((entry, k) => ({ entry, k })).filter(({ entry }) => entry.label.endsWith(' --help`') && entry.label !== '`inworld --help`');
  for (const [k, entry] of cases.entries()) {
    if (commandHelp.some((c) => c.k === k) && entry.label !== '`inworld say --help`') continue;
    section.rows.push({ measure: entry.label, figure: `${ms(median(times[k]!))}, ${x(ratios[k]!)} floor`, target: `≤ ${TARGET}x`, ok: ratios[k]! <= TARGET });
  }
  const worst = commandHelp.reduce((a, b) => (ratios[b.k]! > ratios[a.k]! ? b : a));
  section.rows.push({
    measure: 'every command\'s `--help`: the slowest',
    figure: `${worst.entry.label}, ${ms(median(times[worst.k]!))}, ${x(ratios[worst.k]!)} floor`,
    target: `≤ ${TARGET}x`,
    ok: ratios[worst.k]! <= TARGET,
  });
  const counts = await countInstructions(env, NODE, [['-e', ''], [CLI, '--version'], [CLI, '--help'], [CLI, 'say', '--help'], [CLI, 'completion', 'bash']]);
  if (counts) {
    const [floorIr, ...rest] = counts as [number, ...number[]];
    section.rows.push({
      measure: 'CPU instructions (callgrind): `node -e ""` / `--version` / `--help` / `say --help` / `completion bash`',
      figure: `${millions(floorIr)} / ${rest.map((n) => `${millions(n)} (${x(n / floorIr)})`).join(' / ')}`,
    });
  }
  section.notes.push(
    `${reps} interleaved runs each; ratio = median of per-run ratios. Help and completion scripts are answered from data the build generates (dist/bundle/cli.json, completions/), without loading commander or any command module. The Tab lookup is bash reading the cache file; it runs no Node at all.`,
  );
  if (process.env.NODE_EXTRA_CA_CERTS) {
    section.notes.push('`NODE_EXTRA_CA_CERTS` is set in this environment: every Node start here, the floor included, parses that certificate bundle (about 420 M instructions on this machine), which makes every ratio smaller than on a machine without it. See the findings for the figures without it.');
  }
}
