// CPU instructions a command executes, counted by callgrind: a figure that machine load does not
// move, beside the wall-time ratios that it does.
import { run } from './proc.js';

/** Instructions executed by each command (one callgrind run each), or undefined without valgrind. */
export async function countInstructions(env: NodeJS.ProcessEnv, program: string, commands: string[][]): Promise<number[] | undefined> {
  const counts: number[] = [];
  for (const command of commands) {
    const result = await run('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', program, ...command], { env, timeoutMs: 120_000 }).catch(() => undefined);
    const refs = result && /refs:\s+([\d,]+)/.exec(result.stderr)?.[1];
    if (!refs) return undefined;
    counts.push(Number(refs.replaceAll(',', '')));
  }
  return counts;
}

export const millions = (n: number) => `${(n / 1e6).toFixed(0)} M`;
