// Request JSON handling (protocol §1.5, §2.1, §2.2, §6.2): both casings, ignored unknowns,
// rejected wrong types, and the service's validation ranges, each with its gRPC body.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { get, post, start, ttsBody, readJson } from './http-support.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await start({ limits: { synthesizeChars: 50, streamChars: 60 } });
});
after(() => emulator.close());

async function synth(body: unknown, path = '/tts/v1/voice'): Promise<{ status: number; json: any }> {
  const response = await post(emulator, path, body);
  const text = await response.text();
  return { status: response.status, json: path.endsWith(':stream') && response.status === 200 ? text : JSON.parse(text) };
}

async function expectError(body: unknown, status: number, code: number, messagePart?: RegExp, path = '/tts/v1/voice'): Promise<void> {
  const { status: got, json } = await synth(body, path);
  assert.equal(got, status, JSON.stringify(json));
  assert.equal(json.code, code);
  assert.equal(typeof json.message, 'string');
  assert.deepEqual(json.details, []);
  if (messagePart) assert.match(json.message, messagePart);
}

test('snake_case and camelCase requests produce the same audio', async () => {
  const camel = await synth(ttsBody({}, { audioEncoding: 'LINEAR16', sampleRateHertz: 22050, speakingRate: 1.2 }));
  const snake = await synth({
    text: 'Hello there, world. How are you today?',
    voice_id: 'Ashley',
    model_id: 'inworld-tts-1.5-max',
    audio_config: { audio_encoding: 'LINEAR16', sample_rate_hertz: 22050, speaking_rate: 1.2 },
  });
  assert.equal(camel.status, 200);
  assert.equal(snake.status, 200);
  assert.equal(snake.json.audioContent, camel.json.audioContent);
  assert.equal(Buffer.from(camel.json.audioContent, 'base64').readUInt32LE(24), 22050);
});

test('unknown fields and unknown enum names are ignored (server defaults apply)', async () => {
  const { status, json } = await synth({
    ...ttsBody({ futureField: { nested: true }, timestampType: 'SYLLABLE', deliveryMode: 'EXPRESSIVE' }),
    audioConfig: { audioEncoding: 'NOT_A_CODEC', sampleRateHertz: 24000, bitrate: 64000 },
  });
  assert.equal(status, 200);
  // Unknown encoding name → the default, MP3 (an MPEG frame sync or an ID3 tag at the start).
  const audio = Buffer.from(json.audioContent, 'base64');
  assert.ok(audio[0] === 0xff || audio.toString('ascii', 0, 3) === 'ID3', `not MP3: ${audio.subarray(0, 4).toString('hex')}`);
  assert.equal(json.timestampInfo, undefined);
  assert.deepEqual(json.usage, { processedCharactersCount: 38, modelId: 'inworld-tts-1.5-max' });
});

test('numeric strings are accepted for numbers, as protobuf JSON allows', async () => {
  const { status, json } = await synth(ttsBody({}, { audioEncoding: 'WAV', sampleRateHertz: '16000' }));
  assert.equal(status, 200);
  assert.equal(Buffer.from(json.audioContent, 'base64').readUInt32LE(24), 16000);
});

test('a value of the wrong JSON type is INVALID_ARGUMENT naming the field', async () => {
  await expectError(ttsBody({ voiceId: 5 }), 400, 3, /voice_id/);
  await expectError(ttsBody({ applyTextNormalization: true }), 400, 3, /apply_text_normalization/);
  await expectError(ttsBody({ audioConfig: 'PCM' }), 400, 3, /audio_config/);
  await expectError(ttsBody({}, { sampleRateHertz: 'fast' }), 400, 3, /sample_rate_hertz/);
  await expectError(ttsBody({}, { sampleRateHertz: 16000.5 }), 400, 3, /sample_rate_hertz/);
  await expectError(ttsBody({ text: ['a'] }), 400, 3, /text/);
  await expectError(ttsBody({ temperature: '1.0x' }), 400, 3, /temperature/);
});

test('body that is not JSON, or not an object, is INVALID_ARGUMENT', async () => {
  await expectError('{"text": "hi"', 400, 3);
  await expectError('[1,2]', 400, 3);
});

test('text, voiceId and modelId are required; text has a configurable limit', async () => {
  await expectError(ttsBody({ text: undefined }), 400, 3, /text/);
  await expectError(ttsBody({ text: '' }), 400, 3, /text/);
  await expectError(ttsBody({ voiceId: undefined }), 400, 3, /voice_id/);
  await expectError(ttsBody({ modelId: undefined }), 400, 3, /model_id/);
  await expectError(ttsBody({ text: 'x'.repeat(51) }), 400, 3, /50/);
  assert.equal((await synth(ttsBody({ text: 'x'.repeat(50) }))).status, 200);
  // The stream limit is separate (60 here).
  assert.equal((await synth(ttsBody({ text: 'x'.repeat(55) }), '/tts/v1/voice:stream')).status, 200);
  await expectError(ttsBody({ text: 'x'.repeat(61) }), 400, 3, /60/, '/tts/v1/voice:stream');
});

test('model ids: known ones pass, dashed versions and unknown ones are 400', async () => {
  for (const modelId of ['inworld-tts-2', 'inworld-tts-1.5-mini', 'inworld-tts-1', 'inworld-tts-1-max']) {
    assert.equal((await synth(ttsBody({ modelId }))).status, 200, modelId);
  }
  await expectError(ttsBody({ modelId: 'inworld-tts-1-5-mini' }), 400, 3, /model/);
  await expectError(ttsBody({ modelId: 'gpt-voice' }), 400, 3, /model/);
});

test('unknown voice is NOT_FOUND (404, code 5)', async () => {
  await expectError(ttsBody({ voiceId: 'Nobody' }), 404, 5, /Nobody/);
  // Voice ids are case-sensitive.
  await expectError(ttsBody({ voiceId: 'ashley' }), 404, 5);
});

test('unknownVoice can be switched to 400 or to accepting any voice', async () => {
  const strict = await start({ unknownVoice: 'invalid-argument' });
  const lax = await start({ unknownVoice: 'accept' });
  try {
    const a = await post(strict, '/tts/v1/voice', ttsBody({ voiceId: 'Nobody' }));
    assert.equal(a.status, 400);
    assert.equal((await readJson(a)).code, 3);
    const b = await post(lax, '/tts/v1/voice', ttsBody({ voiceId: 'Nobody' }));
    assert.equal(b.status, 200);
    await b.arrayBuffer();
  } finally {
    await strict.close();
    await lax.close();
  }
});

test('audio ranges: sample rate, G.711 at 8 kHz only, MP3 from 16 kHz, bit rates', async () => {
  await expectError(ttsBody({}, { sampleRateHertz: 4000 }), 400, 3, /sample_rate_hertz/);
  await expectError(ttsBody({}, { sampleRateHertz: 96000 }), 400, 3, /sample_rate_hertz/);
  await expectError(ttsBody({}, { audioEncoding: 'MULAW', sampleRateHertz: 16000 }), 400, 3, /8000/);
  await expectError(ttsBody({}, { audioEncoding: 'ALAW', sampleRateHertz: 24000 }), 400, 3, /8000/);
  await expectError(ttsBody({}, { audioEncoding: 'MP3', sampleRateHertz: 8000 }), 400, 3, /MP3/);
  await expectError(ttsBody({}, { audioEncoding: 'MP3', sampleRateHertz: 24000, bitRate: 16000 }), 400, 3, /bit_rate/);
  await expectError(ttsBody({}, { audioEncoding: 'OGG_OPUS', sampleRateHertz: 24000, bitRate: 256000 }), 400, 3, /bit_rate/);
  // G.711 without a rate defaults to 8 kHz; bitRate is ignored for PCM.
  assert.equal((await synth(ttsBody({}, { audioEncoding: 'MULAW', sampleRateHertz: undefined }))).status, 200);
  assert.equal((await synth(ttsBody({}, { bitRate: 1 }))).status, 200);
});

test('speakingRate 0.5..1.5 and temperature (0, 2] with 0 meaning default', async () => {
  await expectError(ttsBody({}, { speakingRate: 0.4 }), 400, 3, /speaking_rate/);
  await expectError(ttsBody({}, { speakingRate: 1.6 }), 400, 3, /speaking_rate/);
  await expectError(ttsBody({ temperature: 2.5 }), 400, 3, /temperature/);
  await expectError(ttsBody({ temperature: -1 }), 400, 3, /temperature/);
  for (const temperature of [0, 0.1, 2]) assert.equal((await synth(ttsBody({ temperature }))).status, 200, String(temperature));
  for (const speakingRate of [0.5, 1.5]) assert.equal((await synth(ttsBody({}, { speakingRate }))).status, 200);
});

test('a malformed language code is INVALID_ARGUMENT', async () => {
  await expectError(ttsBody({ language: 'english please' }), 400, 3, /language/);
  assert.equal((await synth(ttsBody({ language: 'en-US' }))).status, 200);
});

test('unknown paths are 404 NOT_FOUND and wrong methods 405', async () => {
  const missing = await post(emulator, '/tts/v2/voice', ttsBody());
  assert.equal(missing.status, 404);
  assert.deepEqual(await readJson(missing), { code: 5, message: 'Not Found', details: [] });
  const wrong = await get(emulator, '/tts/v1/voice');
  assert.equal(wrong.status, 405);
  assert.equal((await readJson(wrong)).code, 12);
});

test('a base URL joined with a double slash still routes', async () => {
  const response = await fetch(`${emulator.url}/tts/v1/voices`, { headers: { authorization: 'Basic k' } });
  assert.equal(response.status, 200);
  await readJson(response);
});

test('the stt REST route reaches its handler (not a 404)', async () => {
  const response = await post(emulator, '/stt/v1/transcribe', { transcribeConfig: {}, audioData: { content: '' } });
  assert.notEqual(response.status, 404);
  await response.arrayBuffer();
});
