// `inworld stream --captions`: the spoken words on stderr, a sentence per line.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.js';

test('stream --captions prints each sentence as it is spoken', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'inworld-stream-captions-')), 'captions.wav');
  const result = await runCli(['stream', '-o', out, '--captions', '--quiet', '--emulator'], {
    env: cleanEnv(),
    input: 'Hello there. Stream captions work.',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, 'Hello there.\nStream captions work.\n');
});
