// The bundled CLI runs through V8's code cache: the first run of a command writes its cache in the
// user's cache directory, later runs use it, a cache V8 refuses is replaced, and --verbose runs
// the ES modules instead (stack traces that name the real files) without touching the cache.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'inworld-code-cache-'));
after(() => rmSync(root, { recursive: true, force: true }));

function say(cacheHome: string, ...extra: string[]) {
  return runCli(['say', 'Hello there.', '--emulator', '-o', join(root, 'out.wav'), ...extra], { env: cleanEnv({ XDG_CACHE_HOME: cacheHome }) });
}

function cacheFiles(cacheHome: string): string[] {
  try {
    return readdirSync(join(cacheHome, 'inworld', 'code-cache'));
  } catch {
    return [];
  }
}

test('the first run writes the command’s cache; the next one uses it as it is', async () => {
  const cacheHome = mkdtempSync(join(root, 'cache-'));
  const first = await say(cacheHome);
  assert.equal(first.code, 0, first.stderr);
  const [file, ...others] = cacheFiles(cacheHome);
  assert.deepEqual(others, []);
  assert.match(file!, new RegExp(`-${process.version}-${process.arch}-say\\.bin$`));
  const path = join(cacheHome, 'inworld', 'code-cache', file!);
  const written = statSync(path).mtimeMs;
  const second = await say(cacheHome);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(statSync(path).mtimeMs, written, 'an accepted cache is not rewritten');
});

test('a cache V8 refuses is replaced, and the run is unaffected', async () => {
  const cacheHome = mkdtempSync(join(root, 'cache-'));
  assert.equal((await say(cacheHome)).code, 0);
  const path = join(cacheHome, 'inworld', 'code-cache', cacheFiles(cacheHome)[0]!);
  const garbage = Buffer.alloc(4096, 7);
  writeFileSync(path, garbage);
  const result = await say(cacheHome);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr.includes('Wrote'), true, result.stderr);
  assert.notDeepEqual(readFileSync(path), garbage);
});

test('--verbose runs the ES modules and leaves the cache alone', async () => {
  const cacheHome = mkdtempSync(join(root, 'cache-'));
  const result = await say(cacheHome, '--verbose');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(cacheFiles(cacheHome), []);
});

test('an unwritable cache directory only costs the cache', async () => {
  const blocked = join(root, 'not-a-directory');
  writeFileSync(blocked, '');
  const result = await say(blocked);
  assert.equal(result.code, 0, result.stderr);
});
