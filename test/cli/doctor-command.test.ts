// `inworld doctor` end to end: the built CLI against an emulator that accepts one key, with a temp
// config dir (which also holds a fake ALSA setup) and a controlled PATH.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { checkNode } from '../../src/cli/setup/doctor.js';
import type { CheckResult } from '../../src/cli/setup/doctor-result.js';
import { findExecutable } from '../../src/audio/find-executable.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { fakeAlsa } from '../helpers/alsa.js';
import { needs } from '../helpers/needs.js';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';

const GOOD_KEY = 'ZG9jdG9yLXRlc3QtZ29vZC1rZXk6c2VjcmV0';
const BAD_KEY = 'ZG9jdG9yLXRlc3QtYmFkLWtleTpzZWNyZXQ=';

let emulator: RunningEmulator;
let home: string;
let emptyBin: string;

/** Proxy variables from the host would route the loopback checks elsewhere. */
const NO_PROXY_ENV = { HTTP_PROXY: undefined, HTTPS_PROXY: undefined, http_proxy: undefined, https_proxy: undefined };

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ XDG_CONFIG_HOME: home, INWORLD_BASE_URL: emulator.url, ...NO_PROXY_ENV, ...extra });
}

function saveConfig(record: Record<string, unknown>, mode = 0o600): string {
  const path = join(home, 'inworld', 'config.json');
  mkdirSync(join(home, 'inworld'), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(record));
  chmodSync(path, mode);
  return path;
}

async function doctorJson(args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<{ result: CliResult; ok: boolean; checks: Map<string, CheckResult> }> {
  const result = await runCli(['doctor', '--json', ...args], { env: env(extra) });
  const parsed = JSON.parse(result.stdout.toString()) as { ok: boolean; checks: CheckResult[] };
  return { result, ok: parsed.ok, checks: new Map(parsed.checks.map((check) => [check.id, check])) };
}

function assertNoKeys(result: CliResult): void {
  for (const key of [GOOD_KEY, BAD_KEY]) {
    assert.ok(!result.stdout.toString().includes(key), 'a key on stdout');
    assert.ok(!result.stderr.includes(key), 'a key on stderr');
  }
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', apiKey: GOOD_KEY });
  emptyBin = mkdtempSync(join(tmpdir(), 'inworld-doctor-bin-'));
});
after(async () => {
  await emulator.close();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'inworld-doctor-'));
});

describe('doctor: the required checks', () => {
  test('a good key in the config file: every required check passes, exit 0', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const { result, ok, checks } = await doctorJson();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(ok, true);
    assertNoKeys(result);
    assert.deepEqual([...checks.keys()], ['node', 'config', 'api-key', 'network', 'key-accepted', 'websocket', 'audio-output', 'microphone', 'ffmpeg']);
    assert.equal(checks.get('node')!.status, 'ok');
    assert.equal(checks.get('api-key')!.detail, `****${GOOD_KEY.slice(-4)} from config file`);
    assert.equal(checks.get('network')!.status, 'ok');
    assert.equal(typeof checks.get('network')!.ms, 'number');
    assert.ok(checks.get('network')!.detail.includes(new URL(emulator.url).origin));
    assert.equal(checks.get('key-accepted')!.status, 'ok');
    assert.match(checks.get('key-accepted')!.detail, /listed \d+ voices in \d+ ms/);
    assert.equal(emulator.requests.find('/voices/v1/voices').at(-1)!.headers.authorization, `Basic ${GOOD_KEY}`);
    assert.equal(checks.get('websocket')!.status, 'ok', checks.get('websocket')!.detail);
    assert.equal(emulator.requests.find('/tts/v1/voice:streamBidirectional').at(-1)!.headers.authorization, `Basic ${GOOD_KEY}`);
  });

  test('a WebSocket the network refuses is a warning (stream/transcribe need it), not a failure', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const refused = await doctorJson([], { INWORLD_WS_URL: 'ws://127.0.0.1:1/' });
    assert.equal(refused.result.code, 0, refused.result.stderr);
    assert.equal(refused.checks.get('websocket')!.status, 'warn');
    assert.match(refused.checks.get('websocket')!.fix!, /WebSocket upgrades/);
    emulator.faults.add('status=403,protocol=ws,path=/tts/v1/voice:streamBidirectional');
    try {
      const forbidden = await doctorJson();
      assert.equal(forbidden.checks.get('websocket')!.status, 'warn');
      assert.match(forbidden.checks.get('websocket')!.detail, /HTTP 403/);
    } finally {
      emulator.faults.clear();
    }
  });

  test('the human report: one line per check, on stdout, key masked, no colour on a pipe', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const result = await runCli(['doctor'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assertNoKeys(result);
    const out = result.stdout.toString();
    assert.ok(!out.includes('\u001b['), 'no escape codes when not a terminal');
    const lines = out.split('\n').filter((line) => /^[✓!✗-] /.test(line));
    assert.equal(lines.length, 9, out);
    assert.match(out, /API key +\*\*\*\*.{4} from config file/);
    assert.match(out, /all checks passed|ready; \d+ optional/);
  });

  test('where the key came from: flag, then environment, then config file', async () => {
    saveConfig({ apiKey: BAD_KEY });
    const fromEnv = await doctorJson([], { INWORLD_API_KEY: GOOD_KEY });
    assert.equal(fromEnv.checks.get('api-key')!.detail, `****${GOOD_KEY.slice(-4)} from INWORLD_API_KEY`);
    assert.equal(fromEnv.result.code, 0, fromEnv.result.stderr);
    const fromFlag = await doctorJson(['--api-key', GOOD_KEY], { INWORLD_API_KEY: BAD_KEY });
    assert.equal(fromFlag.checks.get('api-key')!.detail, `****${GOOD_KEY.slice(-4)} from --api-key`);
    assert.equal(fromFlag.result.code, 0, fromFlag.result.stderr);
    assertNoKeys(fromFlag.result);
  });

  test('no key: exit 1, the fix says inworld login, the voices check is skipped', async () => {
    const { result, ok, checks } = await doctorJson();
    assert.equal(result.code, 1);
    assert.equal(ok, false);
    assert.equal(checks.get('api-key')!.status, 'fail');
    assert.match(checks.get('api-key')!.fix!, /inworld login/);
    assert.equal(checks.get('key-accepted')!.status, 'skip');
    assert.equal(checks.get('network')!.status, 'ok', 'reachability is still checked');
  });

  test('a rejected key: exit 1, reported as rejected, key never printed', async () => {
    const { result, checks } = await doctorJson([], { INWORLD_API_KEY: BAD_KEY });
    assert.equal(result.code, 1);
    assertNoKeys(result);
    assert.equal(checks.get('key-accepted')!.status, 'fail');
    assert.match(checks.get('key-accepted')!.detail, /rejected: HTTP 401/);
    assert.match(checks.get('key-accepted')!.fix!, /inworld login/);
  });

  test('an unreachable API: exit 1, network fails, the voices check is skipped', async () => {
    const { result, checks } = await doctorJson([], { INWORLD_API_KEY: GOOD_KEY, INWORLD_BASE_URL: 'http://127.0.0.1:1/' });
    assert.equal(result.code, 1);
    assert.equal(checks.get('network')!.status, 'fail');
    assert.match(checks.get('network')!.detail, /ECONNREFUSED/);
    assert.match(checks.get('network')!.fix!, /INWORLD_BASE_URL/);
    assert.equal(checks.get('key-accepted')!.status, 'skip');
  });

  test('reachability goes through HTTP_PROXY unless NO_PROXY exempts the host', async () => {
    const proxied = await doctorJson([], { INWORLD_API_KEY: GOOD_KEY, HTTP_PROXY: 'http://127.0.0.1:1/' });
    assert.equal(proxied.result.code, 1);
    assert.equal(proxied.checks.get('network')!.status, 'fail');
    const exempt = await doctorJson([], { INWORLD_API_KEY: GOOD_KEY, HTTP_PROXY: 'http://127.0.0.1:1/', NO_PROXY: '127.0.0.1' });
    assert.equal(exempt.checks.get('network')!.status, 'ok', exempt.checks.get('network')!.detail);
  });

  test('a server that never answers the voices call: --timeout bounds it, exit 1', async () => {
    emulator.faults.clear();
    emulator.faults.add('action=stall,at=headers,path=/voices/v1/voices');
    try {
      const started = Date.now();
      const { result, checks } = await doctorJson(['--timeout', '1500'], { INWORLD_API_KEY: GOOD_KEY });
      assert.equal(result.code, 1);
      assert.equal(checks.get('network')!.status, 'ok');
      assert.equal(checks.get('key-accepted')!.status, 'fail');
      assert.match(checks.get('key-accepted')!.detail, /voices call failed/);
      assert.ok(Date.now() - started < 15_000, 'bounded by --timeout');
    } finally {
      emulator.faults.clear();
    }
  });

  test('--verbose logs the requests but never the key from the config file', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const result = await runCli(['doctor', '--verbose'], { env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /GET .*\/voices\/v1\/voices/);
    assertNoKeys(result);
  });

  test('--emulator needs no key', async () => {
    const result = await runCli(['doctor', '--emulator', '--json'], { env: cleanEnv({ XDG_CONFIG_HOME: home, ...NO_PROXY_ENV }) });
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout.toString()) as { checks: CheckResult[] };
    assert.equal(parsed.checks.find((check) => check.id === 'api-key')!.detail, 'not needed with --emulator');
  });
});

describe('doctor: config file', () => {
  test('a file others can read is a warning with the chmod fix, not a failure', async () => {
    const path = saveConfig({ apiKey: GOOD_KEY }, 0o644);
    const { result, checks } = await doctorJson();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(checks.get('config')!.status, 'warn');
    assert.equal(checks.get('config')!.fix, `chmod 600 ${path}`);
    assert.match(checks.get('config')!.detail, /0644/);
  });

  test('broken JSON fails the config check (every command would fail)', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true });
    writeFileSync(join(home, 'inworld', 'config.json'), '{ nope', { mode: 0o600 });
    const { result, checks } = await doctorJson([], { INWORLD_API_KEY: GOOD_KEY });
    assert.equal(result.code, 1);
    assert.equal(checks.get('config')!.status, 'fail');
    assert.match(checks.get('config')!.fix!, /delete it/);
  });
});

describe('doctor: optional tools only warn', () => {
  test('nothing on PATH and no sound device: warnings with fixes, still exit 0', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const alsa = fakeAlsa('missing');
    try {
      home = alsa.dir;
      saveConfig({ apiKey: GOOD_KEY });
      const { result, checks } = await doctorJson([], { PATH: emptyBin });
      assert.equal(result.code, 0, result.stderr);
      for (const id of ['audio-output', 'microphone', 'ffmpeg']) {
        assert.equal(checks.get(id)!.status, 'warn', id);
        assert.ok(checks.get(id)!.fix, `${id} has a fix`);
      }
      assert.match(checks.get('ffmpeg')!.detail, /only needed to transcribe files other than WAV/);
      assert.match(checks.get('audio-output')!.detail, /aplay: not found/);
      assert.match(checks.get('microphone')!.detail, /no recorder on PATH/);
    } finally {
      alsa.cleanup();
    }
  });

  test('with a working (fake) ALSA device, aplay and arecord are probed and pass', { skip: needs('aplay', 'arecord') }, async () => {
    const alsa = fakeAlsa('file');
    try {
      home = alsa.dir;
      saveConfig({ apiKey: GOOD_KEY });
      writeFileSync(alsa.inPath, Buffer.alloc(16_000)); // half a second of silence for the capture probe
      const { result, checks } = await doctorJson([], { ALSA_OUT: alsa.outPath, ALSA_IN: alsa.inPath });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(checks.get('audio-output')!.status, 'ok');
      assert.match(checks.get('audio-output')!.detail, /aplay: opens the default device/);
      assert.equal(checks.get('microphone')!.status, 'ok');
      assert.match(checks.get('microphone')!.detail, /default capture device opens/);
    } finally {
      alsa.cleanup();
    }
  });

  test('--quiet prints only what needs attention', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const result = await runCli(['doctor', '--quiet'], { env: env({ PATH: emptyBin }) });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout.toString();
    assert.ok(!out.includes('Node.js'), out);
    assert.match(out, /ffmpeg/);
  });
});

describe('doctor: colour', () => {
  test('FORCE_COLOR colours the report; NO_COLOR alone keeps it plain', async () => {
    saveConfig({ apiKey: GOOD_KEY });
    const forced = await runCli(['doctor'], { env: env({ FORCE_COLOR: '1' }) });
    assert.ok(forced.stdout.toString().includes('\u001b['), 'escape codes with FORCE_COLOR');
    const plain = await runCli(['doctor'], { env: env({ NO_COLOR: '1', FORCE_COLOR: undefined }) });
    assert.ok(!plain.stdout.toString().includes('\u001b['));
  });
});

describe('doctor: Node version', () => {
  test('20 and newer pass; older fails with the fix', () => {
    assert.equal(checkNode('20.0.0').status, 'ok');
    assert.equal(checkNode('22.11.0').status, 'ok');
    const old = checkNode('18.19.1');
    assert.equal(old.status, 'fail');
    assert.equal(old.required, true);
    assert.match(old.fix!, /Node 20 or newer/);
  });
});
