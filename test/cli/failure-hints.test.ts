// The hints the exit path adds: a 401 names where the refused key came from (flag, environment
// variable or config file with its path) and never the key; a 503 that outlasted every retry says
// what to do. The built CLI against an emulator that accepts one key only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';

const GOOD_KEY = 'aGludHMtdGVzdC1nb29kOmtleQ==';
const REFUSED_KEY = 'aGludHMtdGVzdC1yZWZ1c2VkOmtleQ==';

let emulator: RunningEmulator;
let home: string;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', apiKey: GOOD_KEY, quiet: true });
  home = mkdtempSync(join(tmpdir(), 'inworld-hints-'));
});
after(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
});

function env(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv({ XDG_CONFIG_HOME: home, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, NO_COLOR: '1', ...extra });
}

function errorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((line) => /^inworld: (HTTP|STT)/.test(line));
  assert.equal(lines.length, 1, `one error line in: ${result.stderr}`);
  return lines[0]!;
}

function assertKeyNeverShown(result: CliResult): void {
  for (const key of [GOOD_KEY, REFUSED_KEY]) {
    assert.ok(!result.stderr.includes(key) && !result.stdout.toString().includes(key), `a key in the output: ${result.stderr}`);
  }
}

describe('a refused key (401): the hint names where it came from', () => {
  test('--api-key', async () => {
    const result = await runCli(['voices', '--api-key', REFUSED_KEY], { env: env() });
    assert.equal(result.code, 1, result.stderr);
    assertKeyNeverShown(result);
    assert.match(errorLine(result), /HTTP 401 .*The key came from --api-key: pass the "Basic \(Base64\)" credential from the Inworld Portal/);
  });

  test('INWORLD_API_KEY', async () => {
    const result = await runCli(['say', 'Hello.', '-o', join(home, 'env.wav')], { env: env({ INWORLD_API_KEY: REFUSED_KEY }) });
    assert.equal(result.code, 1, result.stderr);
    assertKeyNeverShown(result);
    assert.match(errorLine(result), /HTTP 401 .*The key came from the environment variable INWORLD_API_KEY: .*unset it and run `inworld login`/);
  });

  test('the config file, with its path', async () => {
    mkdirSync(join(home, 'inworld'), { recursive: true, mode: 0o700 });
    const path = join(home, 'inworld', 'config.json');
    writeFileSync(path, JSON.stringify({ apiKey: REFUSED_KEY }), { mode: 0o600 });
    try {
      const result = await runCli(['stream', '-o', join(home, 'file.wav')], { env: env(), input: 'Hello there.\n' });
      assert.equal(result.code, 1, result.stderr);
      assertKeyNeverShown(result);
      const line = errorLine(result);
      assert.ok(line.includes(`The key came from the config file ${path}: run \`inworld login\``), line);
    } finally {
      rmSync(path);
    }
  });
});

describe('a 503 after every retry says what to do', () => {
  for (const [args, path] of [
    [['voices'], '/voices/v1/voices'],
    [['say', 'Hello.', '-o', 'unavailable.wav'], '/tts/v1/voice:stream'],
  ] as const) {
    test(`${args[0]} --retries 1`, async () => {
      emulator.faults.add({ path, action: { type: 'status', status: 503 } });
      const result = await runCli([...args, '--retries', '1'], { env: env({ INWORLD_API_KEY: GOOD_KEY }), cwd: home });
      assert.equal(result.code, 1, result.stderr);
      assert.equal(emulator.requests.find(path).length, 2, 'the first try and one retry');
      assert.match(
        errorLine(result),
        /HTTP 503 UNAVAILABLE.*The service is unavailable right now and it still failed after 1 retry: try again in a few minutes, or allow more attempts with --retries$/,
      );
    });
  }

  test('--retries 0 says it was not retried', async () => {
    emulator.faults.add({ path: '/voices/v1/voices', action: { type: 'status', status: 503 } });
    const result = await runCli(['voices', '--retries', '0'], { env: env({ INWORLD_API_KEY: GOOD_KEY }) });
    assert.equal(result.code, 1, result.stderr);
    assert.match(errorLine(result), /it was not retried \(--retries 0\): try again in a few minutes/);
  });
});
