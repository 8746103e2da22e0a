// `inworld logout` end to end: the built CLI against a config file in a temporary XDG_CONFIG_HOME.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';

const KEY = 'bG9nb3V0LXRlc3Qta2V5OnNlY3JldA==';
let home: string;
let configPath: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inworld-logout-'));
  configPath = join(home, 'inworld', 'config.json');
});

function writeConfig(record: Record<string, unknown>): string {
  mkdirSync(join(home, 'inworld'), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(record, null, 2)}\n`;
  writeFileSync(configPath, text, { mode: 0o600 });
  return text;
}

function logout(args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['logout', ...args], { env: cleanEnv({ XDG_CONFIG_HOME: home, ...extra }) });
}

function assertNoKey(result: CliResult): void {
  assert.ok(!result.stdout.toString().includes(KEY), 'the key on stdout');
  assert.ok(!result.stderr.includes(KEY), `the key on stderr: ${result.stderr}`);
}

test('removes the stored key, keeps the other settings, says what it did', async () => {
  writeConfig({ apiKey: KEY, voice: 'Dennis' });
  const result = await logout();
  assert.equal(result.code, 0, result.stderr);
  assertNoKey(result);
  assert.equal(result.stdout.length, 0, 'nothing on stdout');
  assert.equal(result.stderr, `Logged out: removed the API key ****${KEY.slice(-4)} from ${configPath}\n`);
  assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')), { voice: 'Dennis' });
  assert.equal(statSync(configPath).mode & 0o777, 0o600);
});

test('the key written as api-key (the kebab-case spelling) goes too', async () => {
  writeConfig({ 'api-key': KEY });
  const result = await logout();
  assert.equal(result.code, 0, result.stderr);
  assertNoKey(result);
  assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')), {});
});

test('no key stored: exit 0, says so, and creates no file', async () => {
  const result = await logout();
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, `Not logged in: no API key stored in ${configPath}; nothing to remove\n`);
  assert.equal(existsSync(join(home, 'inworld')), false);
});

test('a config file without a key is left exactly as it was', async () => {
  const before = writeConfig({ voice: 'Dennis' });
  const result = await logout();
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^Not logged in: no API key stored/);
  assert.equal(readFileSync(configPath, 'utf8'), before);
});

test('after logout, commands no longer find a key (exit 2 before any request)', async () => {
  writeConfig({ apiKey: KEY });
  assert.equal((await logout()).code, 0);
  const result = await runCli(['voices'], { env: cleanEnv({ XDG_CONFIG_HOME: home }) });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /No API key/);
});

test('a key in INWORLD_API_KEY is pointed out, never printed', async () => {
  writeConfig({ apiKey: KEY });
  const result = await logout([], { INWORLD_API_KEY: KEY });
  assert.equal(result.code, 0, result.stderr);
  assertNoKey(result);
  assert.match(result.stderr, /INWORLD_API_KEY is still set in your environment/);
});

test('--quiet prints nothing; --emulator (or INWORLD_EMULATOR=1) touches nothing', async () => {
  const before = writeConfig({ apiKey: KEY });
  for (const [args, extra] of [[['--emulator'], {}], [[], { INWORLD_EMULATOR: '1' }]] as const) {
    const result = await logout([...args], extra);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Nothing removed: with --emulator/);
    assert.equal(readFileSync(configPath, 'utf8'), before);
  }
  const quiet = await logout(['--quiet']);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
  assert.equal(existsSync(configPath) && JSON.parse(readFileSync(configPath, 'utf8')).apiKey, undefined);
});
