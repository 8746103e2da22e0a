// `stream` errors are as good as `say`'s: the status (HTTP, or gRPC over the WebSocket), the
// server's message, "did you mean" for a voice, and "the audio written so far is kept" only when
// some was written.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { FaultRuleInput } from '../../src/emulator/faults/rules.js';
import { cleanEnv, runCli } from '../helpers/cli.js';

const TEXT = 'The first sentence is here. A second one follows it. The third ends it.\n';
let emulator: RunningEmulator;
let dir: string;

function env() {
  return cleanEnv({ INWORLD_API_KEY: 'c3RyZWFtOmVycm9ycw==', INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl });
}

function lines(stderr: string): string[] {
  return stderr.trim().split('\n');
}

before(async () => {
  emulator = await startEmulator({ port: 0, host: '127.0.0.1', quiet: true, engine: 'synthetic' });
  dir = mkdtempSync(join(tmpdir(), 'inworld-stream-errors-'));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.faults.clear());

describe('an unknown voice: stream says what say says', () => {
  test('--voice Nobody: status, the server message, the pointer to `inworld voices`, one line, no file', async () => {
    const sayOut = join(dir, 'say-nobody.wav');
    const streamOut = join(dir, 'stream-nobody.wav');
    const said = await runCli(['say', 'hi', '--voice', 'Nobody', '-o', sayOut], { env: env() });
    const streamed = await runCli(['stream', '--voice', 'Nobody', '-o', streamOut], { env: env(), input: TEXT });
    assert.equal(said.code, 1, said.stderr);
    assert.equal(streamed.code, 1, streamed.stderr);
    assert.match(said.stderr, /HTTP 404 NOT_FOUND: Unknown voice: Nobody/);
    assert.match(streamed.stderr, /gRPC 5 NOT_FOUND: Unknown voice: Nobody/);
    for (const result of [said, streamed]) {
      assert.match(result.stderr, /request [0-9a-f-]{36}/);
      assert.match(result.stderr, /Run `inworld voices` to see the voice ids/);
      assert.deepEqual(lines(result.stderr).length, 1, result.stderr);
    }
    assert.doesNotMatch(streamed.stderr, /kept/);
    assert.equal(existsSync(streamOut), false);
  });

  test('a misspelt voice gets "did you mean"', async () => {
    const result = await runCli(['stream', '--voice', 'ashly', '-o', join(dir, 'ashly.wav')], { env: env(), input: TEXT });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Did you mean "Ashley"\? Voice ids are case-sensitive/);
    assert.equal(lines(result.stderr).length, 1, result.stderr);
  });
});

describe('server errors on the WebSocket', () => {
  const ws = (action: FaultRuleInput['action']): FaultRuleInput => ({ protocol: 'ws', times: 1, action });
  const cases: Array<[name: string, rule: FaultRuleInput, message: RegExp]> = [
    ['a status error before any audio', ws({ type: 'custom', name: 'tts-status', params: { afterChunks: 0, code: 3, message: 'bad argument here' } } as FaultRuleInput['action']), /gRPC 3 INVALID_ARGUMENT: bad argument here \(request [0-9a-f-]{36}\)/],
    ['a connection-level error message', ws({ type: 'ws-error', code: 13, message: 'kaput', afterMessages: 0 } as FaultRuleInput['action']), /gRPC 13 INTERNAL: kaput/],
    ['a close frame with a reason', ws({ type: 'ws-close', closeCode: 1011, reason: 'server going away', afterMessages: 0 } as FaultRuleInput['action']), /code 1011: server going away/],
    ['a refused handshake', ws({ type: 'status', status: 503, message: 'overloaded' } as FaultRuleInput['action']), /HTTP 503 UNAVAILABLE: overloaded/],
  ];
  for (const [name, rule, message] of cases) {
    test(`${name}: exit 1, one line with the status and message, nothing claimed kept, no file`, async () => {
      emulator.faults.add(rule);
      const out = join(dir, `${name.replace(/\W+/g, '-')}.wav`);
      const result = await runCli(['stream', '-o', out, '--retries', '0'], { env: env(), input: TEXT });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /kept/);
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.equal(existsSync(out), false);
    });
  }

  test('after some audio: the note says what was kept, and it was', async () => {
    emulator.faults.add(ws({ type: 'custom', name: 'tts-status', params: { afterChunks: 4, code: 13, message: 'synthesis failed' } } as FaultRuleInput['action']));
    const out = join(dir, 'partial.wav');
    const result = await runCli(['stream', '-o', out, '--retries', '0'], { env: env(), input: TEXT });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /the audio written so far is kept/);
    assert.match(result.stderr, /gRPC 13 INTERNAL: synthesis failed/);
    assert.ok(readFileSync(out).length > 44, 'the kept file holds audio');
  });
});
