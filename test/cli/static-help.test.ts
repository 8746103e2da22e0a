// Help is printed from pages generated at build time, without commander: every page must read
// exactly as commander prints it, at any terminal width, and the built pages must be current.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Command } from 'commander';
import { renderHelp, type HelpPages } from '../../src/cli/help-page.js';
import { commanderHelp, helpPages } from '../../src/cli/help-pages.js';
import { buildProgram, COMMANDS } from '../../src/cli/main.js';
import { BIN, runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';

const WIDTHS = [20, 39, 40, 60, 80, 97, 120, 250];

/** Every command the CLI builds for `<path> --help`, by path, as the real CLI builds it. */
async function commanders(): Promise<Map<string, Command>> {
  const found = new Map<string, Command>([['', await buildProgram([])]]);
  const walk = (command: Command, path: string) => {
    found.set(path, command);
    for (const child of command.commands) if (child.name() !== 'help') walk(child, `${path} ${child.name()}`);
  };
  for (const entry of COMMANDS) walk((await buildProgram([entry.name])).commands.find((c) => c.name() === entry.name)!, entry.name);
  return found;
}

test('every page renders as commander prints it, at every width', async () => {
  const pages = await helpPages();
  const real = await commanders();
  assert.deepEqual(Object.keys(pages).sort(), [...real.keys()].sort());
  for (const [path, command] of real) {
    for (const width of WIDTHS) assert.equal(renderHelp(pages[path]!, width), commanderHelp(command, width).full, `"${path}" at ${width} columns`);
  }
});

test('the built pages are those of the current command tree', async () => {
  const built = JSON.parse(readFileSync(new URL('../../dist/bundle/cli.json', import.meta.url), 'utf8')) as { pages: HelpPages };
  assert.deepEqual(built.pages, await helpPages(), 'stale: run  npm run build');
});

test('`inworld … --help` prints what commander would, for the program and every command', async () => {
  for (const [path, command] of await commanders()) {
    const words = path === '' ? [] : path.split(' ');
    const forms = path === '' ? [['--help'], ['-h'], ['help']] : [[...words, '--help'], [...words, '-h'], ...(words.length === 1 ? [['help', ...words]] : [])];
    for (const args of forms) {
      const result = await runCli(args);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.toString(), commanderHelp(command, 80).full, args.join(' '));
      assert.equal(result.stderr, '');
    }
  }
});

test('a help request the pages do not cover still goes to commander', async () => {
  const result = await runCli(['say', 'hello', '--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout.toString(), /^Usage: inworld say \[options\] \[text\.\.\.\]/);
});

test('`inworld --help | head -c 10` ends quietly', { skip: needs('bash') }, () => {
  const out = execFileSync('bash', ['-c', `node ${BIN} --help | head -c 10; echo " \${PIPESTATUS[0]}"`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(out, 'Usage: inw 0\n');
});
