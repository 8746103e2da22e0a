// Security (issue 5, part 4): the key never printed (also with --verbose, in crash output, and
// when the server echoes it back), the --api-key warning, no key over plain http/ws to another
// host without --insecure, a private config file, and an emulator bound to loopback by default.
// Needs `npm run build` first. (The fault matrix also searches every one of its runs for the key.)
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv } from '../helpers/cli.js';
import { scriptRule } from '../wire/stt-harness.js';
import { wavBytes } from '../cli/transcribe-helpers.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { recordFigures } from './figures.js';
import { SECRET_KEY, STT_WS_PATH, TTS_STREAM_PATH, TTS_WS_PATH, VOICES_PATH, allOutput, envFor, quietEmulator, runCli, startCli, tempDir } from './harness.js';

let emulator: RunningEmulator;
const tmp = tempDir('inworld-security-');
let runs = 0;

before(async () => {
  emulator = await quietEmulator();
});
after(async () => {
  await emulator.close();
  tmp.cleanup();
  console.log(`security: API key searched for in the stdout and stderr of ${runs} runs`);
  recordFigures('security', { 'runs searched for the key (security)': runs });
});

function assertNoKey(run: { stdout: Buffer; stderr: string }, what: string): void {
  runs += 1;
  const text = allOutput(run);
  assert.ok(!text.includes(SECRET_KEY), `${what}: the API key appears in the output:\n${run.stderr}`);
  // Nor its decoded form (the key is base64 of "id:secret").
  const decoded = Buffer.from(SECRET_KEY, 'base64').toString('utf8');
  assert.ok(!text.includes(decoded.split(':')[1]!), `${what}: the decoded secret appears in the output`);
}

describe('the key never appears in any output', { concurrency: 3 }, () => {
  const wav = () => {
    const path = tmp.path('speech.wav');
    writeFileSync(path, wavBytes(Buffer.concat([tone(500), silence(400)]), 16_000, 1));
    return path;
  };
  const cases: Array<{ name: string; args: () => string[]; input?: string; code: number; rules?: (target: RunningEmulator) => void }> = [
    { name: 'say --verbose, success', args: () => ['say', 'Hello there.', '-o', tmp.path('v1.wav'), '--verbose'], code: 0 },
    { name: 'stream --verbose, success', args: () => ['stream', '-o', tmp.path('v2.wav'), '--verbose'], input: 'Hello there. Bye now.\n', code: 0 },
    { name: 'transcribe --verbose, success', args: () => ['transcribe', wav(), '--verbose'], code: 0 },
    { name: 'voices --verbose, success', args: () => ['voices', '--verbose'], code: 0 },
    {
      name: 'say --verbose, a 401 whose message echoes the key (crash output prints the stack)',
      args: () => ['say', 'Hello.', '-o', tmp.path('v3.wav'), '--verbose'],
      code: 1,
      rules: (target) => target.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'status', status: 401, code: 16, message: `key ${SECRET_KEY} is invalid` } }),
    },
    {
      name: 'say, an NDJSON error line that echoes the key',
      args: () => ['say', 'Hello there, this is long enough.', '-o', tmp.path('v4.wav')],
      code: 1,
      rules: (target) => target.faults.add({ path: TTS_STREAM_PATH, times: 1, action: { type: 'stream-error', afterChunks: 1, code: 3, message: `bad key ${SECRET_KEY}` } }),
    },
    {
      name: 'stream --verbose, a status error that echoes the key',
      args: () => ['stream', '-o', tmp.path('v5.wav'), '--verbose'],
      input: 'Hello there. Bye now.\n',
      code: 1,
      rules: (target) => target.faults.add({ protocol: 'ws', path: TTS_WS_PATH, times: 1, action: { type: 'custom', name: 'tts-status', params: { afterChunks: 1, code: 16, message: `key ${SECRET_KEY}` } } }),
    },
    {
      name: 'transcribe --verbose, a refused handshake that echoes the key',
      args: () => ['transcribe', wav(), '--verbose'],
      code: 1,
      rules: (target) => target.faults.add({ protocol: 'ws', path: STT_WS_PATH, times: 1, action: { type: 'status', status: 403, code: 7, message: `key ${SECRET_KEY} denied` } }),
    },
    {
      name: 'voices --verbose, a 403 that echoes the key',
      args: () => ['voices', '--verbose', '--retries', '0'],
      code: 1,
      rules: (target) => target.faults.add({ path: VOICES_PATH, times: 1, action: { type: 'status', status: 403, code: 7, message: `key ${SECRET_KEY} denied` } }),
    },
  ];
  for (const item of cases) {
    test(item.name, async () => {
      // Each case gets its own emulator so concurrent fault rules do not cross.
      const own = await quietEmulator();
      try {
        own.faults.add(scriptRule(['Hello.']));
        item.rules?.(own);
        const run = await runCli(item.args(), { env: envFor(own), input: item.input });
        assert.equal(run.code, item.code, run.stderr);
        assertNoKey(run, item.name);
        if (/--verbose/.test(item.args().join(' '))) assert.match(run.stderr, /\[inworld\]|at /, 'verbose output was printed');
      } finally {
        await own.close();
      }
    });
  }

  test('the key given with --api-key is not printed either, and the Authorization header carried it', async () => {
    const run = await runCli(['say', 'Hi.', '-o', tmp.path('k.wav'), '--api-key', SECRET_KEY, '--verbose'], {
      env: envFor(emulator, { INWORLD_API_KEY: undefined }),
    });
    assert.equal(run.code, 0, run.stderr);
    assertNoKey(run, '--api-key --verbose');
    const last = emulator.requests.find(TTS_STREAM_PATH).at(-1)!;
    assert.equal(last.headers.authorization, `Basic ${SECRET_KEY}`);
  });
});

describe('--api-key on the command line', () => {
  test('warns that other local users can see it and points at the environment or config file', async () => {
    const run = await runCli(['voices', '--api-key', SECRET_KEY], { env: envFor(emulator, { INWORLD_API_KEY: undefined }) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /visible to other (local )?users/);
    assert.match(run.stderr, /INWORLD_API_KEY/);
    assert.match(run.stderr, /config/);
    assertNoKey(run, '--api-key warning');
  });
});

describe('no key over plain http:// or ws:// to another host', () => {
  const remote = [
    { name: 'http:// base URL', args: ['say', 'hi', '-o', 'x.wav', '--base-url', 'http://tts.example.invalid/'] },
    { name: 'ws:// URL for stream', args: ['stream', '-o', 'x.wav', '--base-url', 'https://tts.example.invalid/', '--ws-url', 'ws://tts.example.invalid/'] },
    { name: 'ws:// URL for transcribe', args: ['transcribe', '-', '--sample-rate', '16000', '--ws-url', 'ws://10.1.2.3:9/'] },
    { name: 'http:// from the environment', args: ['voices'], env: { INWORLD_BASE_URL: 'http://192.0.2.10/' } },
  ];
  for (const item of remote) {
    test(`refused before connecting: ${item.name}`, async () => {
      const before = emulator.requests.list().length;
      const run = await runCli(item.args, { env: envFor(undefined, item.env ?? {}), input: '' });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /unencrypted|plain|insecure/i);
      assert.match(run.stderr, /--insecure/);
      assert.equal(emulator.requests.list().length, before);
      assertNoKey(run, item.name);
    });
  }

  test('--insecure lets the request go (here it then fails to resolve: exit 1, not 2)', async () => {
    const run = await runCli(['voices', '--base-url', 'http://tts.example.invalid/', '--insecure', '--retries', '0'], { env: envFor(undefined) });
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /unencrypted/);
  });

  test('loopback over plain http is allowed (localhost, 127.x, [::1])', async () => {
    const port = new URL(emulator.url).port;
    for (const host of ['localhost', '127.0.0.1']) {
      const run = await runCli(['voices', '--json', '--base-url', `http://${host}:${port}/`], { env: envFor(undefined) });
      assert.equal(run.code, 0, `${host}: ${run.stderr}`);
    }
  });
});

describe('the config file', () => {
  const home = () => {
    const dir = tmp.path(`cfg-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    return dir;
  };

  test('is created with mode 0600 (directory 0700), the key read from stdin and never echoed', async () => {
    const xdg = home();
    const run = await runCli(['config', 'set', 'api-key', '-'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }), input: `${SECRET_KEY}\n` });
    assert.equal(run.code, 0, run.stderr);
    assertNoKey(run, 'config set');
    const file = join(xdg, 'inworld', 'config.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(xdg, 'inworld')).mode & 0o077, 0, 'the directory is private too');
    const list = await runCli(['config', 'list'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) });
    assert.equal(list.code, 0, list.stderr);
    assertNoKey(list, 'config list');
    const get = await runCli(['config', 'get', 'api-key'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) });
    assertNoKey(get, 'config get api-key');
  });

  test('a looser existing mode is warned about by config commands', async () => {
    const xdg = home();
    mkdirSync(join(xdg, 'inworld'), { recursive: true });
    const file = join(xdg, 'inworld', 'config.json');
    writeFileSync(file, JSON.stringify({ apiKey: SECRET_KEY }));
    chmodSync(file, 0o644);
    const run = await runCli(['config', 'list'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) });
    assert.match(run.stderr, /0644/);
    assert.match(run.stderr, /chmod 600/);
    assertNoKey(run, 'config list, loose mode');
  });

  test(
    'a looser mode is warned about when a command reads the key from it',
    async () => {
      const xdg = home();
      mkdirSync(join(xdg, 'inworld'), { recursive: true });
      const file = join(xdg, 'inworld', 'config.json');
      writeFileSync(file, JSON.stringify({ apiKey: SECRET_KEY, baseUrl: emulator.url }));
      chmodSync(file, 0o644);
      const run = await runCli(['voices', '--json'], { env: cleanEnv({ XDG_CONFIG_HOME: xdg }) });
      assert.equal(run.code, 0, run.stderr);
      assertNoKey(run, 'voices with a loose config');
      assert.match(run.stderr, /0644|chmod/);
    },
  );
});

describe('inworld emulator binds to loopback', () => {
  async function firstLine(args: string[]): Promise<{ line: string; stderr: string }> {
    const { child, done } = startCli(['emulator', '--port', '0', '--engine', 'synthetic', ...args], { env: cleanEnv(), deadlineMs: 15_000 });
    child.stdin.end();
    let stdout = '';
    const line = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      child.on('close', () => resolve(stdout));
    });
    child.kill('SIGTERM');
    const run = await done;
    return { line, stderr: run.stderr };
  }

  test('by default: 127.0.0.1, no warning', async () => {
    const { line, stderr } = await firstLine([]);
    assert.match(line, /^http:\/\/127\.0\.0\.1:\d+\/?$/);
    assert.doesNotMatch(stderr, /warning/);
  });

  test('its request log (stderr) never prints the key a client sent', async () => {
    const { child, done } = startCli(['emulator', '--port', '0', '--engine', 'synthetic'], { env: cleanEnv(), deadlineMs: 20_000 });
    child.stdin.end();
    let stdout = '';
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!.trim());
      });
    });
    const say = await runCli(['say', 'Logged request.', '-o', tmp.path('logged.wav'), '--verbose'], { env: envFor({ url, wsUrl: url.replace(/^http/, 'ws') }) });
    const voices = await runCli(['voices', '--verbose'], { env: envFor({ url, wsUrl: url.replace(/^http/, 'ws') }) });
    child.kill('SIGTERM');
    const run = await done;
    assert.equal(say.code, 0, say.stderr);
    assert.equal(voices.code, 0, voices.stderr);
    assert.ok(run.stderr.length > 0, 'the emulator logged the requests');
    assertNoKey(run, 'emulator request log');
    assertNoKey(say, 'say against the emulator');
  });

  test('--host 0.0.0.0 says it is reachable from other machines', async () => {
    const { line, stderr } = await firstLine(['--host', '0.0.0.0']);
    assert.match(line, /^http:\/\/[^ ]+:\d+\/?$/);
    assert.match(stderr, /warning: .*reachable from other machines/);
  });
});
