// Retries of the one-clip STT endpoint (POST /stt/v1/transcribe) go through core/retry.ts: a busy
// server is retried, and an abort during the wait ends the call at once.
import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { UserAbortError } from '../../src/core/errors.js';
import { transcribeClip } from '../../src/stt/rest.js';
import { silence, tone } from './stt-fixtures.js';
import { clientFor, scriptRule, sttEmulator } from './stt-harness.js';

const REST_PATH = '/stt/v1/transcribe';
const CLIP = Buffer.concat([tone(400), silence(500)]);
const emulator = await sttEmulator();
after(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faults.add(scriptRule(['hello']));
});

function busy(retryAfterSeconds: number): void {
  emulator.faults.add({ path: REST_PATH, protocol: 'http', times: 1, action: { type: 'status', status: 503, code: 14, retryAfterSeconds } });
}

test('a 503 with Retry-After is retried and the clip is transcribed', async () => {
  busy(0);
  const result = await transcribeClip(clientFor(emulator), CLIP, { sampleRateHertz: 16000 });
  assert.equal(result.text, 'hello');
  assert.equal(emulator.requests.find(REST_PATH).length, 2);
});

test('an abort while waiting to retry ends the call with UserAbortError, without waiting out the Retry-After', async () => {
  busy(30);
  const controller = new AbortController();
  const call = transcribeClip(clientFor(emulator), CLIP, { sampleRateHertz: 16000, signal: controller.signal });
  setTimeout(() => controller.abort(), 300);
  // The server asked for 30 s; a wait that ignored the signal would still be sleeping at 5 s.
  const outcome = await Promise.race([
    call.then(
      () => 'resolved',
      (error: unknown) => error,
    ),
    new Promise((resolve) => setTimeout(resolve, 5_000, 'still waiting')).then((value) => value),
  ]);
  assert.ok(outcome instanceof UserAbortError, `expected UserAbortError, got ${String(outcome)}`);
  assert.equal(emulator.requests.find(REST_PATH).length, 1);
});
