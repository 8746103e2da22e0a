// The doctor's report for a terminal: one line per check (symbol, label, what was found, the fix)
// and a summary.
import { colorLevel, painter } from '../ui.js';
import type { CheckResult, CheckStatus } from './doctor-result.js';

function unicodeSymbols(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.platform !== 'win32' || Boolean(env.WT_SESSION) || env.TERM_PROGRAM === 'vscode';
}

/** One line per check: symbol, label, what was found, and the fix. */
export async function renderReport(results: CheckResult[], quiet: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  // The report is on stdout, so stdout must be a terminal too (see ui.ts for the rule).
  const chalk = await painter(colorLevel(env, process.stderr.isTTY === true, process.stdout.isTTY === true));
  const unicode = unicodeSymbols(env);
  const symbols: Record<CheckStatus, string> = unicode
    ? { ok: chalk.green('✓'), warn: chalk.yellow('!'), fail: chalk.red('✗'), skip: chalk.dim('-') }
    : { ok: chalk.green('[ok]'), warn: chalk.yellow('[!!]'), fail: chalk.red('[xx]'), skip: chalk.dim('[--]') };
  const width = Math.max(...results.map((result) => result.label.length));
  const lines = results
    .filter((result) => !quiet || result.status === 'fail' || result.status === 'warn')
    .map((result) => {
      const fix = result.fix ? chalk.dim(`  fix: ${result.fix}`) : '';
      return `${symbols[result.status]} ${result.label.padEnd(width)}  ${result.detail}${fix}\n`;
    });
  const failed = results.filter((result) => result.required && result.status === 'fail').length;
  const warned = results.filter((result) => result.status === 'warn' || (!result.required && result.status === 'fail')).length;
  if (!quiet) {
    const summary =
      failed > 0
        ? chalk.red(`${failed} required check${failed === 1 ? '' : 's'} failed`)
        : warned > 0
          ? chalk.yellow(`ready; ${warned} optional item${warned === 1 ? '' : 's'} missing`)
          : chalk.green('all checks passed');
    lines.push(`\n${summary}\n`);
  }
  return lines.join('');
}
