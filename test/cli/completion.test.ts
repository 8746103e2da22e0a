// Completion scripts: the committed files match what the CLI generates, and each parses in its shell.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildProgram } from '../../src/cli/main.js';
import { completionScript } from '../../src/cli/setup/completion-scripts.js';
import { runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';

const SHELLS = [
  { shell: 'bash', file: 'completions/inworld.bash' },
  { shell: 'zsh', file: 'completions/_inworld' },
  { shell: 'fish', file: 'completions/inworld.fish' },
] as const;

for (const { shell, file } of SHELLS) {
  test(`${shell}: committed ${file} is what the command tree generates`, async () => {
    const committed = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    assert.equal(committed, completionScript(shell, await buildProgram('all')), 'stale: run  npm run gen:completions');
  });

  test(`${shell}: \`inworld completion ${shell}\` prints the committed script`, async () => {
    const result = await runCli(['completion', shell]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString(), readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
  });

  test(`${shell}: the script parses`, { skip: needs(shell) }, () => {
    const path = new URL(`../../${file}`, import.meta.url).pathname;
    execFileSync(shell, ['-n', path], { stdio: 'pipe' });
  });
}

test('bash completes commands, flags and enum values', { skip: needs('bash') }, () => {
  const path = new URL('../../completions/inworld.bash', import.meta.url).pathname;
  const complete = (line: string) => {
    const words = line.split(' ');
    const script = `source ${path}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _inworld; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  };
  assert.ok(complete('inworld s').includes('say'));
  assert.ok(complete('inworld s').includes('stream'));
  assert.ok(complete('inworld say --enc').includes('--encoding'));
  assert.deepEqual(complete('inworld say --encoding M').sort(), ['MP3', 'MULAW']);
  assert.deepEqual(complete('inworld completion f'), ['fish']);
  assert.deepEqual(complete('inworld config s'), ['set']);
  assert.deepEqual(complete('inworld config set api'), ['api-key']);
});

test('an unknown shell is a usage error', async () => {
  const result = await runCli(['completion', 'tcsh']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /bash, zsh, fish/);
});
