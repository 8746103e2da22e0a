// `inworld config` end to end: the built CLI in a child process with a temp XDG_CONFIG_HOME.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';

const KEY = 'Y29uZmlnLXRlc3Qta2V5OnN1cGVyLXNlY3JldA==';
const KEY_TAIL = KEY.slice(-4);

let home: string;
let configPath: string;

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ XDG_CONFIG_HOME: home, ...extra });
}

function config(args: string[], input?: string): Promise<CliResult> {
  return runCli(['config', ...args], { env: env(), input });
}

function readJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function assertNoKey(result: CliResult): void {
  assert.ok(!result.stdout.toString().includes(KEY), 'the key must not be on stdout');
  assert.ok(!result.stderr.includes(KEY), 'the key must not be on stderr');
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inworld-config-'));
  configPath = join(home, 'inworld', 'config.json');
});

describe('config path', () => {
  test('prints $XDG_CONFIG_HOME/inworld/config.json without creating it', async () => {
    const result = await config(['path']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString(), `${configPath}\n`);
    assert.equal(existsSync(configPath), false);
  });

  test('falls back to ~/.config when XDG_CONFIG_HOME is unset', async () => {
    const result = await runCli(['config', 'path'], { env: cleanEnv({ XDG_CONFIG_HOME: undefined, HOME: home }) });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.toString(), `${join(home, '.config', 'inworld', 'config.json')}\n`);
  });
});

describe('config set / get', () => {
  test('creates the file 0600 in a 0700 directory and reads the value back', async () => {
    const set = await config(['set', 'voice', 'Dennis']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout.length, 0, 'set prints nothing on stdout');
    assert.equal(mode(configPath), 0o600);
    assert.equal(mode(join(home, 'inworld')), 0o700);
    assert.deepEqual(readJson(), { voice: 'Dennis' });
    const get = await config(['get', 'voice']);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout.toString(), 'Dennis\n');
  });

  test('every key stores under its camelCase field and validates', async () => {
    for (const [key, value] of [
      ['model', 'inworld-tts-1.5-mini'],
      ['language', 'ja_JP'],
      ['base-url', 'http://127.0.0.1:8787'],
      ['ws-url', 'ws://127.0.0.1:8787/'],
    ]) {
      const result = await config(['set', key!, value!]);
      assert.equal(result.code, 0, `${key}: ${result.stderr}`);
    }
    assert.deepEqual(readJson(), {
      model: 'inworld-tts-1.5-mini',
      language: 'ja-JP',
      baseUrl: 'http://127.0.0.1:8787/',
      wsUrl: 'ws://127.0.0.1:8787/',
    });
  });

  test('keeps fields it does not manage and replaces a kebab-case alias', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true });
    writeFileSync(configPath, JSON.stringify({ 'base-url': 'http://old.example/', custom: { nested: true }, voice: 'Ashley' }), { mode: 0o600 });
    const result = await config(['set', 'base-url', 'https://api.example.com/v2']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readJson(), { custom: { nested: true }, voice: 'Ashley', baseUrl: 'https://api.example.com/v2/' });
  });

  test('an unknown key exits 2 and lists the valid keys', async () => {
    for (const args of [['set', 'colour', 'blue'], ['get', 'colour'], ['unset', 'colour']]) {
      const result = await config(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /api-key, voice, model, language, base-url, ws-url/);
    }
    assert.equal(existsSync(configPath), false);
  });

  test('bad values exit 2 and leave the file untouched', async () => {
    await config(['set', 'voice', 'Dennis']);
    const before = readFileSync(configPath, 'utf8');
    for (const [key, value] of [
      ['base-url', 'not a url'],
      ['base-url', 'ftp://example.com/'],
      ['ws-url', 'https://example.com/'],
      ['language', 'english please'],
      ['voice', 'two words'],
      ['api-key', '   '],
    ]) {
      const result = await config(['set', key!, value!]);
      assert.equal(result.code, 2, `${key}=${value}: ${result.stderr}`);
      assert.match(result.stderr, /^inworld: /);
    }
    assert.equal(readFileSync(configPath, 'utf8'), before);
  });

  test('get of an unset key prints nothing and exits 0', async () => {
    const result = await config(['get', 'model']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /model is not set/);
  });

  test('a broken config file is a usage error naming the file, and is not overwritten', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true });
    writeFileSync(configPath, '{ "voice": ', { mode: 0o600 });
    const get = await config(['get', 'voice']);
    assert.equal(get.code, 2);
    assert.ok(get.stderr.includes(configPath), get.stderr);
    const set = await config(['set', 'voice', 'Dennis']);
    assert.equal(set.code, 2);
    assert.equal(readFileSync(configPath, 'utf8'), '{ "voice": ');
  });
});

describe('the API key', () => {
  test('set api-key - reads stdin; get and list show it masked; it never appears in output', async () => {
    const set = await config(['set', 'api-key', '-'], `${KEY}\n`);
    assert.equal(set.code, 0, set.stderr);
    assertNoKey(set);
    assert.equal(readJson().apiKey, KEY);
    assert.equal(mode(configPath), 0o600);

    const get = await config(['get', 'api-key']);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(get.stdout.toString(), `****${KEY_TAIL}\n`);
    assertNoKey(get);

    await config(['set', 'voice', 'Dennis']);
    const list = await config(['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout.toString(), `api-key=****${KEY_TAIL}\nvoice=Dennis\n`);
    assertNoKey(list);

    const json = await config(['list', '--json']);
    assert.deepEqual(JSON.parse(json.stdout.toString()), { 'api-key': `****${KEY_TAIL}`, voice: 'Dennis' });
    assertNoKey(json);
  });

  test('a key on the command line works, with a tip about stdin, and is not echoed', async () => {
    const result = await config(['set', 'api-key', KEY]);
    assert.equal(result.code, 0, result.stderr);
    assertNoKey(result);
    assert.match(result.stderr, /set api-key -/);
    assert.equal(readJson().apiKey, KEY);
  });

  test('a pasted "Basic " prefix is dropped (we add it ourselves)', async () => {
    const result = await config(['set', 'api-key', '-'], `Basic ${KEY}\n`);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readJson().apiKey, KEY);
  });

  test('more than one line on stdin is refused', async () => {
    const result = await config(['set', 'api-key', '-'], `${KEY}\n${KEY}\n`);
    assert.equal(result.code, 2);
    assertNoKey(result);
    assert.equal(existsSync(configPath), false);
  });

  test('list notes when INWORLD_API_KEY overrides the file', async () => {
    await config(['set', 'api-key', '-'], KEY);
    const result = await runCli(['config', 'list'], { env: env({ INWORLD_API_KEY: 'another-key-from-env' }) });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /INWORLD_API_KEY is set and takes precedence/);
    assert.ok(!result.stderr.includes('another-key-from-env'));
  });
});

describe('unset', () => {
  test('removes the key (both spellings) and keeps the rest', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true });
    writeFileSync(configPath, JSON.stringify({ apiKey: KEY, 'api-key': KEY, voice: 'Dennis' }), { mode: 0o600 });
    const result = await config(['unset', 'api-key']);
    assert.equal(result.code, 0, result.stderr);
    assertNoKey(result);
    assert.deepEqual(readJson(), { voice: 'Dennis' });
  });

  test('unsetting a key that is not there is not an error and writes nothing', async () => {
    const result = await config(['unset', 'voice']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /was not set/);
    assert.equal(existsSync(configPath), false);
  });
});

describe('permissions and atomic writes', () => {
  test('a file others can read gets a warning with the chmod fix on read, and is tightened on write', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true });
    writeFileSync(configPath, JSON.stringify({ apiKey: KEY }));
    chmodSync(configPath, 0o644);
    const list = await config(['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.stderr.includes(`chmod 600 ${configPath}`), list.stderr);
    assert.match(list.stderr, /mode 0644/);
    assertNoKey(list);

    const set = await config(['set', 'voice', 'Dennis']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stderr, /it is now 0600/);
    assert.equal(mode(configPath), 0o600);

    const again = await config(['list']);
    assert.ok(!again.stderr.includes('chmod'), again.stderr);
  });

  test('a write replaces the file by rename (new inode) and leaves no temp files', async () => {
    await config(['set', 'voice', 'Dennis']);
    const inodeBefore = statSync(configPath).ino;
    await config(['set', 'model', 'inworld-tts-1.5-mini']);
    assert.notEqual(statSync(configPath).ino, inodeBefore, 'the file was replaced, not rewritten in place');
    assert.deepEqual(readdirSync(join(home, 'inworld')), ['config.json']);
  });

  test('an existing directory keeps its mode; a symlinked config keeps its link', async () => {
    const real = join(home, 'dotfiles');
    mkdirSync(real, { mode: 0o755 });
    chmodSync(real, 0o755);
    writeFileSync(join(real, 'inworld.json'), JSON.stringify({ voice: 'Ashley' }), { mode: 0o600 });
    mkdirSync(join(home, 'inworld'));
    symlinkSync(join(real, 'inworld.json'), configPath);
    const result = await config(['set', 'voice', 'Dennis']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(lstatSync(configPath).isSymbolicLink(), 'still a link');
    assert.deepEqual(JSON.parse(readFileSync(join(real, 'inworld.json'), 'utf8')), { voice: 'Dennis' });
    assert.equal(mode(join(real, 'inworld.json')), 0o600);
    assert.equal(mode(real), 0o755);
    assert.deepEqual(readdirSync(real), ['inworld.json']);
  });

  test('parallel writers of different keys all land (the lock serialises read-modify-write)', async () => {
    const settings: Array<[string, string]> = [
      ['voice', 'Dennis'],
      ['model', 'inworld-tts-1.5-mini'],
      ['language', 'en-GB'],
      ['base-url', 'http://127.0.0.1:8787/'],
      ['ws-url', 'ws://127.0.0.1:8787/'],
    ];
    const results = await Promise.all(settings.map(([key, value]) => config(['set', key, value])));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(Object.keys(readJson()).sort(), ['baseUrl', 'language', 'model', 'voice', 'wsUrl']);
    assert.deepEqual(readdirSync(join(home, 'inworld')), ['config.json'], 'no lock or temp file left');
  });

  test('a lock left by a killed process is broken once stale', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true });
    const lock = `${configPath}.lock`;
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const result = await config(['set', 'voice', 'Dennis']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readJson(), { voice: 'Dennis' });
    assert.equal(existsSync(lock), false);
  });

  test('parallel writers never leave a torn file', async () => {
    const voices = ['Ashley', 'Dennis', 'Alex', 'Craig', 'Deborah', 'Edward'];
    const results = await Promise.all(voices.map((voice) => config(['set', 'voice', voice])));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.ok(voices.includes(readJson().voice as string));
    assert.equal(mode(configPath), 0o600);
    assert.deepEqual(readdirSync(join(home, 'inworld')), ['config.json']);
  });
});

describe('the client reads what config writes', () => {
  test('voices uses base-url and api-key from the file', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const emulator = await startEmulator({ port: 0, engine: 'synthetic', apiKey: KEY });
    try {
      await config(['set', 'api-key', '-'], KEY);
      await config(['set', 'base-url', emulator.url]);
      const result = await runCli(['voices', '--json'], { env: env() });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(Array.isArray(JSON.parse(result.stdout.toString())));
      assert.equal(emulator.requests.find('/voices/v1/voices').length, 1);
    } finally {
      await emulator.close();
    }
  });

  test('an empty file means no settings to every command alike (one reader)', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const emulator = await startEmulator({ port: 0, engine: 'synthetic', apiKey: KEY });
    try {
      mkdirSync(join(home, 'inworld'), { recursive: true });
      writeFileSync(configPath, '\n', { mode: 0o600 });
      const list = await config(['list']);
      assert.equal(list.code, 0, list.stderr);
      const voices = await runCli(['voices', '--json'], { env: env({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url }) });
      assert.equal(voices.code, 0, voices.stderr);
    } finally {
      await emulator.close();
    }
  });
});

describe('looseConfigWarningSync (for commands that read the key from the file)', () => {
  test('warns with the chmod fix for a group/other-readable file, says nothing otherwise', async () => {
    const { looseConfigWarningSync } = await import('../../src/cli/setup/config-file.js');
    assert.equal(looseConfigWarningSync(configPath), undefined, 'absent file');
    mkdirSync(join(home, 'inworld'), { recursive: true });
    writeFileSync(configPath, '{}', { mode: 0o600 });
    chmodSync(configPath, 0o600);
    assert.equal(looseConfigWarningSync(configPath), undefined, 'private file');
    chmodSync(configPath, 0o640);
    const warning = looseConfigWarningSync(configPath);
    assert.ok(warning?.includes(`chmod 600 ${configPath}`), warning);
    assert.match(warning!, /mode 0640/);
  });
});
