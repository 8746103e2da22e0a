// 1. Start-up: `inworld --version` and `--help` against `node -e ""`, interleaved.
import { BenchContext, CLI, NODE } from '../lib/context.js';
import { check, run } from '../lib/proc.js';
import { median, ms, pairedRatio, x } from '../lib/stats.js';

export async function startup(ctx: BenchContext): Promise<void> {
  const section = ctx.section('startup', '1. Start-up', 'Wall time from spawn to exit of `node bin/inworld.js --version` and `--help` against `node -e ""` (the floor: a bare Node process), interleaved run by run. Target: at most 1.5x the floor.');
  const reps = ctx.reps(7, 21);
  const env = ctx.cliEnv('http://127.0.0.1:9/');
  const floor: number[] = [];
  const version: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < reps; i++) {
    floor.push(check(await run(NODE, ['-e', '']), 'node -e').wallMs);
    version.push(check(await run(NODE, [CLI, '--version'], { env }), 'inworld --version').wallMs);
    help.push(check(await run(NODE, [CLI, '--help'], { env }), 'inworld --help').wallMs);
  }
  const rVersion = pairedRatio(version, floor);
  const rHelp = pairedRatio(help, floor);
  section.rows.push(
    { measure: '`node -e ""` (floor)', figure: ms(median(floor)) },
    { measure: '`inworld --version`', figure: `${ms(median(version))}, ${x(rVersion)} floor`, target: '≤ 1.5x', ok: rVersion <= 1.5 },
    { measure: '`inworld --help`', figure: `${ms(median(help))}, ${x(rHelp)} floor`, target: '≤ 1.5x', ok: rHelp <= 1.5 },
  );
  section.notes.push(`${reps} interleaved runs each; ratio = median of per-run ratios.`);
}
