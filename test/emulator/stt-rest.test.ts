// The emulated synchronous STT endpoint, POST /stt/v1/transcribe.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { silence, tone } from '../wire/stt-fixtures.js';
import { scriptRule } from '../wire/stt-harness.js';
import { wavBytes } from '../cli/transcribe-helpers.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
});
after(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.faults.add(scriptRule(['first', 'second']));
});

async function post(body: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const response = await fetch(`${emulator.url}/stt/v1/transcribe`, {
    method: 'POST',
    headers: { Authorization: 'Basic a2V5', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

const AUDIO = Buffer.concat([tone(400), silence(500), tone(400), silence(500)]);

test('raw LINEAR16: one transcription for the clip, words in ms, top-level voice profile and usage', async () => {
  const { status, json } = await post({
    transcribeConfig: { modelId: 'inworld/inworld-stt-1', audioEncoding: 'LINEAR16', sampleRateHertz: 16000, voiceProfileConfig: { enableVoiceProfile: true, topN: 3 } },
    audioData: { content: AUDIO.toString('base64') },
  });
  assert.equal(status, 200);
  assert.equal(json.transcription.transcript, 'first second');
  assert.deepEqual(json.transcription.wordTimestamps.map((w: { startTimeMs: number }) => w.startTimeMs), [0, 900]);
  assert.equal(json.voiceProfile.age.length, 3);
  assert.deepEqual(json.usage, { transcribedAudioMs: 1800, modelId: 'inworld/inworld-stt-1' });
});

test('a WAV file with AUTO_DETECT; silence gives an empty transcript', async () => {
  const wav = await post({ transcribeConfig: { modelId: 'inworld/inworld-stt-1', audioEncoding: 'AUTO_DETECT' }, audioData: { content: wavBytes(AUDIO, 16000, 1).toString('base64') } });
  assert.equal(wav.status, 200);
  assert.equal(wav.json.transcription.transcript, 'first second');
  const quiet = await post({ transcribeConfig: { modelId: 'groq/whisper-large-v3', audioEncoding: 'LINEAR16', sampleRateHertz: 8000 }, audioData: { content: silence(500, 8000).toString('base64') } });
  assert.equal(quiet.json.transcription.transcript, '');
});

test('errors: missing audio, raw audio without a rate, a streaming-only model, over 16 MB', async () => {
  const config = { modelId: 'inworld/inworld-stt-1', audioEncoding: 'LINEAR16', sampleRateHertz: 16000 };
  assert.equal((await post({ transcribeConfig: config })).status, 400);
  const noRate = await post({ transcribeConfig: { modelId: 'inworld/inworld-stt-1', audioEncoding: 'LINEAR16' }, audioData: { content: AUDIO.toString('base64') } });
  assert.equal(noRate.status, 400);
  assert.equal(noRate.json.code, 3);
  const streamingOnly = await post({ transcribeConfig: { ...config, modelId: 'soniox/stt-rt-v4' }, audioData: { content: AUDIO.toString('base64') } });
  assert.equal(streamingOnly.status, 400);
  const big = await post({ transcribeConfig: config, audioData: { content: Buffer.alloc(16 * 1024 * 1024 + 2).toString('base64') } });
  assert.ok(big.status === 400 || big.status === 413, `status ${big.status}`);
});
