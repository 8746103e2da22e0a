// The top-level program: help lists every command with its own description (the placeholders that
// keep start-up light must not drift from the real commands), --version, unknown commands.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

test('each registry description is the command’s own', async () => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.equal(command.name(), entry.name);
    assert.equal(command.description(), entry.description, entry.name);
  }
});

test('--help lists every command and examples', async () => {
  const result = await runCli(['--help']);
  assert.equal(result.code, 0);
  const help = result.stdout.toString();
  for (const entry of COMMANDS) assert.match(help, new RegExp(`\\n  ${entry.name}\\b`));
  assert.match(help, /Examples:/);
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.toString(), `${version}\n`);
  }
});

test('help <command> shows that command’s options', async () => {
  const result = await runCli(['help', 'say']);
  assert.equal(result.code, 0);
  assert.match(result.stdout.toString(), /--speaking-rate/);
});

test('an unknown command is a usage error with a suggestion', async () => {
  const result = await runCli(['sya', 'hello']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command 'sya'/);
  assert.match(result.stderr, /say/);
});
