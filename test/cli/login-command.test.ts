// `inworld login` end to end: the built CLI against an emulator that accepts one key only.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, cleanEnv, runCli, type CliResult } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';

const GOOD_KEY = 'bG9naW4tdGVzdC1nb29kLWtleTpzZWNyZXQ=';
const BAD_KEY = 'bG9naW4tdGVzdC1iYWQta2V5OnNlY3JldA==';

let emulator: RunningEmulator;
let home: string;
let configPath: string;

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ XDG_CONFIG_HOME: home, INWORLD_BASE_URL: emulator.url, ...extra });
}

function login(input: string, args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['login', ...args], { env: env(extra), input });
}

function assertNoKeys(result: CliResult): void {
  for (const key of [GOOD_KEY, BAD_KEY]) {
    assert.ok(!result.stdout.toString().includes(key), 'a key on stdout');
    assert.ok(!result.stderr.includes(key), `a key on stderr: ${result.stderr}`);
  }
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', apiKey: GOOD_KEY });
});
after(async () => {
  await emulator.close();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inworld-login-'));
  configPath = join(home, 'inworld', 'config.json');
  emulator.requests.clear();
  emulator.faults.clear();
});

describe('login from stdin', () => {
  test('a good key is verified with a voices call, then saved 0600', async () => {
    const result = await login(`${GOOD_KEY}\n`);
    assert.equal(result.code, 0, result.stderr);
    assertNoKeys(result);
    assert.equal(result.stdout.length, 0, 'login prints nothing on stdout');
    assert.match(result.stderr, /Logged in: key \*\*\*\*.{4} verified/);
    const requests = emulator.requests.find('/voices/v1/voices');
    assert.equal(requests.length, 1, 'one verification call');
    assert.equal(requests[0]!.headers.authorization, `Basic ${GOOD_KEY}`);
    assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')), { apiKey: GOOD_KEY });
    assert.equal(statSync(configPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, 'inworld')).mode & 0o777, 0o700);
  });

  test('the saved key is the one later commands use', async () => {
    await login(GOOD_KEY);
    const result = await runCli(['voices', '--json'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
  });

  test('a rejected key exits 1 with a clear message and saves nothing', async () => {
    const result = await login(`${BAD_KEY}\n`);
    assert.equal(result.code, 1, result.stderr);
    assertNoKeys(result);
    assert.match(result.stderr, /rejected this key \(HTTP 401\); nothing was saved/);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    assert.equal(existsSync(configPath), false);
  });

  test('--verbose on a rejected key logs the request, never the key', async () => {
    const result = await login(BAD_KEY, ['--verbose']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /GET .*\/voices\/v1\/voices/);
    assertNoKeys(result);
    assert.equal(existsSync(configPath), false);
  });

  test('a 403 is a rejection too', async () => {
    emulator.faults.add('status=403,path=/voices/v1/voices');
    const result = await login(GOOD_KEY);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /HTTP 403/);
    assert.equal(existsSync(configPath), false);
  });

  test('a rejected key leaves an existing config file exactly as it was', async () => {
    mkdirSync(join(home, 'inworld'), { mode: 0o700 });
    writeFileSync(configPath, JSON.stringify({ apiKey: 'old-key-kept-here', voice: 'Dennis' }), { mode: 0o600 });
    const before = readFileSync(configPath, 'utf8');
    const result = await login(BAD_KEY);
    assert.equal(result.code, 1);
    assert.equal(readFileSync(configPath, 'utf8'), before);
  });

  test('a good key replaces the old one and keeps the other fields', async () => {
    mkdirSync(join(home, 'inworld'), { mode: 0o700 });
    writeFileSync(configPath, JSON.stringify({ 'api-key': 'old-key-kept-here', voice: 'Dennis' }), { mode: 0o600 });
    const result = await login(GOOD_KEY);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')), { voice: 'Dennis', apiKey: GOOD_KEY });
  });

  test('an unreachable API exits 1 and saves nothing', async () => {
    const result = await runCli(['login', '--retries', '0'], { env: env({ INWORLD_BASE_URL: 'http://127.0.0.1:1/' }), input: GOOD_KEY });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Could not verify the key.*nothing was saved/);
    assertNoKeys(result);
    assert.equal(existsSync(configPath), false);
  });

  test('--no-verify saves without calling the API', async () => {
    const result = await login(BAD_KEY, ['--no-verify']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /not verified/);
    assert.equal(emulator.requests.find('/voices/v1/voices').length, 0);
    assert.equal(JSON.parse(readFileSync(configPath, 'utf8')).apiKey, BAD_KEY);
  });

  test('empty input is a usage error (exit 2)', async () => {
    const result = await login('\n');
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /No API key/);
    assert.equal(existsSync(configPath), false);
  });

  test('--emulator checks against the in-process emulator and writes no config file', async () => {
    const result = await runCli(['login', '--emulator'], { env: cleanEnv({ XDG_CONFIG_HOME: home }), input: BAD_KEY });
    assert.equal(result.code, 0, result.stderr);
    assertNoKeys(result);
    assert.equal(emulator.requests.find('/voices/v1/voices').length, 0, 'the test emulator was not called');
    assert.match(result.stderr, /^Key \*\*\*\*.{4} checked against the emulator \(\d+ voices, \d+ ms\); nothing saved: with --emulator, login never writes the config file\n$/);
    assert.equal(existsSync(configPath), false, 'no config file written');
    assert.equal(existsSync(join(home, 'inworld')), false, 'no config directory made');
  });

  test('--emulator (or INWORLD_EMULATOR=1) leaves an existing config file exactly as it was', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true, mode: 0o700 });
    const before = `${JSON.stringify({ apiKey: GOOD_KEY, voice: 'Dennis' })}\n`;
    writeFileSync(configPath, before, { mode: 0o600 });
    for (const [args, extra] of [[['--emulator'], {}], [[], { INWORLD_EMULATOR: '1' }], [['--emulator', '--no-verify'], {}]] as const) {
      const result = await runCli(['login', ...args], { env: cleanEnv({ XDG_CONFIG_HOME: home, ...extra }), input: BAD_KEY });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /nothing saved/);
      assert.equal(readFileSync(configPath, 'utf8'), before, `${args.join(' ')} ${JSON.stringify(extra)}`);
    }
  });

  test('notes that INWORLD_API_KEY outranks the saved key', async () => {
    const result = await login(GOOD_KEY, [], { INWORLD_API_KEY: 'some-other-env-key' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /INWORLD_API_KEY is set/);
    assert.equal(JSON.parse(readFileSync(configPath, 'utf8')).apiKey, GOOD_KEY);
  });
});

/** Runs the CLI on a pseudo-terminal (python3's pty module), typing `typed` once the prompt shows. */
const PTY_DRIVER = `
import os, pty, sys, time
bin_path, typed, prompt = sys.argv[1], sys.argv[2], sys.argv[3].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(os.environ['NODE_BIN'], [os.environ['NODE_BIN'], bin_path, 'login'])
out = b''
deadline = time.time() + 20
sent = False
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not sent and prompt in out:
        time.sleep(0.2)
        os.write(fd, typed.encode())
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else status >> 8)
`;

describe('login on a terminal', { skip: needs('python3') }, () => {
  // Async spawn: the emulator lives in this process, so a blocking spawnSync would starve it.
  function onTerminal(typed: string): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('python3', ['-c', PTY_DRIVER, BIN, typed, 'API key (hidden): '], {
        env: { ...env(), NODE_BIN: process.execPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  test('the hidden prompt does not echo the key, and the key is saved', async () => {
    // Backspace over a typo, then Enter (a terminal sends \r).
    const { code, output } = await onTerminal(`${GOOD_KEY}X\u007f\r`);
    assert.equal(code, 0, output);
    assert.match(output, /API key \(hidden\): /);
    assert.ok(!output.includes(GOOD_KEY), `the key was echoed: ${output}`);
    assert.equal(JSON.parse(readFileSync(configPath, 'utf8')).apiKey, GOOD_KEY);
  });

  test('Ctrl-C at the prompt exits 130 and saves nothing', async () => {
    const { code } = await onTerminal('abc\u0003');
    assert.equal(code, 130);
    assert.equal(existsSync(configPath), false);
  });
});
