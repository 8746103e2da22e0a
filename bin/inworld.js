#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps the compiled CLI between runs (the on-disk compile cache); older Node has no
// such API and compiles on every start.
module.enableCompileCache?.();

// `--version` is answered before loading the CLI at all; everything else goes through it.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}
