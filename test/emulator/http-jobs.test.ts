// The emulator's job endpoints on the wire, with plain fetch (no client code): operations that
// finish after the configured delay, result objects served without credentials behind a
// signature, the control surface's job switches.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, jobDelayMs: 1000 });
});
after(async () => {
  await emulator?.close();
});

const auth = { authorization: 'Basic k', 'content-type': 'application/json' };
const body = JSON.stringify({ text: 'Hello.', voice_id: 'Ashley', model_id: 'inworld-tts-2', audio_config: { audio_encoding: 'MP3' }, timestampType: 'WORD' });

test('an operation is not done before the job delay, then names signed URLs that need no key', async () => {
  const started = Date.now();
  const submitted = (await (await fetch(`${emulator.url}tts/v1/voice:synthesizeAsync`, { method: 'POST', headers: auth, body })).json()) as { name: string; done: boolean };
  assert.equal(submitted.done, false);
  const poll = async () => (await (await fetch(`${emulator.url}lro/v1alpha/${submitted.name}`, { headers: auth })).json()) as Record<string, any>;
  assert.equal((await fetch(`${emulator.url}lro/v1alpha/${submitted.name}`)).status, 401);
  let done = await poll();
  for (let i = 0; i < 100 && !done.done; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    done = await poll();
  }
  assert.equal(done.done, true);
  assert.ok(Date.now() - started >= 1000);
  assert.match(done.response['@type'], /SynthesizeSpeechAsyncResponse$/);
  const audio = await fetch(done.response.audioUri);
  assert.equal(audio.status, 200);
  assert.equal(audio.headers.get('content-type'), 'audio/mpeg');
  const timestamps = (await (await fetch(done.response.timestampsUri)).json()) as { wordAlignment: { words: string[] } };
  assert.deepEqual(timestamps.wordAlignment.words, ['Hello.']);
  const moved = new URL(done.response.audioUri);
  moved.searchParams.set('expires', String(Number(moved.searchParams.get('expires')) + 3600));
  assert.equal((await fetch(moved)).status, 403);
  assert.equal((await fetch(`${emulator.url}lro/v1alpha/workspaces/emulator/ttsAsyncJobs/x/operations/y`, { headers: auth })).status, 404);
});

test('the job delay and the URL lifetime can be changed while it runs', async () => {
  const patched = await fetch(`${emulator.url}_emulator/options`, { method: 'PATCH', body: JSON.stringify({ jobDelayMs: 0, signedUrlTtlMs: 1 }) });
  assert.equal(patched.status, 200);
  try {
    const submitted = (await (await fetch(`${emulator.url}tts/v1/voice:synthesizeAsync`, { method: 'POST', headers: auth, body })).json()) as { name: string };
    let done: Record<string, any> = {};
    for (let i = 0; i < 50 && !done.done; i += 1) {
      done = (await (await fetch(`${emulator.url}lro/v1alpha/${submitted.name}`, { headers: auth })).json()) as Record<string, any>;
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await fetch(done.response.audioUri);
    assert.equal(expired.status, 403);
    assert.match(((await expired.json()) as { error: { message: string } }).error.message, /expired/);
  } finally {
    emulator.options.jobDelayMs = 1000;
    emulator.options.signedUrlTtlMs = 3_600_000;
  }
});
