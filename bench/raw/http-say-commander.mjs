// The floor of `http-say.mjs` plus what any CLI built on commander pays before its request:
// commander loaded and a `say`-like command line parsed. Shows how much of the CLI's start-up
// the argument parser alone accounts for.
import { Command } from 'commander';

new Command('inworld')
  .command('say')
  .argument('[text...]')
  .option('-o, --output <path>')
  .option('--voice <id>')
  .option('--model <id>')
  .option('--encoding <name>')
  .option('--sample-rate <hz>')
  .action(() => {})
  .parent.parse(['say', ...process.argv.slice(2)], { from: 'user' });

await import('./http-say.mjs');
