// Inworld's official Node SDK (`@inworld/tts`, a dev dependency only), unmodified, against the
// emulator on loopback: every call the SDK makes must be answered as the service answers it. The
// SDK speaks HTTP only: /tts/v1/voice, /tts/v1/voice:stream and the Voice API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, type InworldTTSClient } from '@inworld/tts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { tone } from '../wire/stt-fixtures.js';

const API_KEY = 'inworld-sdk-test-key';
let emulator: RunningEmulator;
let sdk: InworldTTSClient;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, apiKey: API_KEY });
  sdk = createClient({ apiKey: API_KEY, baseUrl: emulator.url, maxRetries: 0, timeout: 10_000 });
});
after(async () => {
  await emulator?.close();
});

/** A mono 16-bit WAV file around the PCM the STT fixtures make. */
function wavFile(pcm: Buffer, rate = 16_000): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

const isMp3 = (bytes: Uint8Array): boolean =>
  (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);

test('generate: MP3 by default, and LINEAR16 as a WAV file', async () => {
  const mp3 = await sdk.generate({ text: 'Hello from the official SDK.', voice: 'Dennis' });
  assert.ok(mp3.length > 1000, `only ${mp3.length} bytes`);
  assert.ok(isMp3(mp3), 'the default encoding is MP3');
  const wav = await sdk.generate({ text: 'Hello again.', voice: 'Dennis', encoding: 'LINEAR16', sampleRate: 24_000 });
  assert.equal(Buffer.from(wav.subarray(0, 4)).toString('ascii'), 'RIFF');
});

test('generate on inworld-tts-2 with a delivery mode', async () => {
  const audio = await sdk.generate({ text: 'A steady voice.', voice: 'Dennis', model: 'inworld-tts-2', deliveryMode: 'STABLE' });
  assert.ok(audio.length > 1000);
  const sent = emulator.requests.find('/tts/v1/voice').at(-1);
  assert.ok(sent, 'the emulator recorded the request');
});

test('stream: chunks arrive and join into playable audio', async () => {
  const chunks: Uint8Array[] = [];
  for await (const chunk of sdk.stream({ text: 'Streaming through the official SDK, one chunk at a time.', voice: 'Dennis' })) {
    chunks.push(chunk);
  }
  assert.ok(chunks.length >= 1);
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  assert.ok(total > 1000, `only ${total} bytes`);
});

test('timestamps: word alignment for generate and stream', async () => {
  const { audio, timestamps } = await sdk.generateWithTimestamps({ text: 'Three little words.', voice: 'Dennis', timestampType: 'WORD' });
  assert.ok(audio.length > 0);
  assert.deepEqual(timestamps.wordAlignment?.words.map((word) => word.replace(/[^a-z]/gi, '').toLowerCase()), ['three', 'little', 'words']);
  const starts = timestamps.wordAlignment!.wordStartTimeSeconds;
  assert.ok(starts.every((start, i) => i === 0 || start >= starts[i - 1]!), 'start times never go back');

  let words = 0;
  for await (const part of sdk.streamWithTimestamps({ text: 'Streamed words have times too.', voice: 'Dennis', timestampType: 'WORD' })) {
    words += part.timestamps?.wordAlignment?.words.length ?? 0;
  }
  assert.ok(words >= 5, `only ${words} timed words`);
});

test('listVoices: everything, then filtered by one and by two languages', async () => {
  const all = await sdk.listVoices();
  assert.ok(all.some((voice) => voice.voiceId === 'Dennis'));
  const spanish = await sdk.listVoices({ lang: 'ES_ES' });
  assert.ok(spanish.length > 0 && spanish.length < all.length);
  assert.ok(spanish.every((voice) => voice.langCode === 'ES_ES'), JSON.stringify(spanish.map((voice) => voice.langCode)));
  const two = await sdk.listVoices({ lang: ['EN_US', 'ES_ES'] });
  assert.ok(two.length > spanish.length);
  assert.ok(two.every((voice) => voice.langCode === 'EN_US' || voice.langCode === 'ES_ES'));
  const sent = emulator.requests.find('/voices/v1/voices').at(-1);
  assert.ok(sent, 'the emulator recorded the list');
});

test('getVoice: one voice, and a clear error for an unknown id', async () => {
  const dennis = await sdk.getVoice('Dennis');
  assert.equal(dennis.voiceId, 'Dennis');
  // The SDK's ApiError carries the HTTP status as `code`.
  await assert.rejects(sdk.getVoice('NoSuchVoice'), (error: Error & { code?: unknown }) => {
    assert.equal(error.code, 404, `${error.name}: ${error.message}`);
    return true;
  });
});

test('clone, speak with the clone, update it, then delete it', async () => {
  const sample = wavFile(tone(5000));
  const cloned = await sdk.cloneVoice({ displayName: 'SDK Clone', audioSamples: [sample], lang: 'EN_US', transcriptions: ['a steady tone'] });
  const voiceId = cloned.voice.voiceId;
  assert.match(voiceId, /__/, 'a cloned voice id is {workspace}__{name}');
  assert.ok(Array.isArray(cloned.audioSamplesValidated));

  const listed = await sdk.listVoices();
  assert.ok(listed.some((voice) => voice.voiceId === voiceId), 'the list shows the clone');

  const audio = await sdk.generate({ text: 'I am a cloned voice.', voice: voiceId });
  assert.ok(audio.length > 1000);

  const updated = await sdk.updateVoice({ voice: voiceId, displayName: 'SDK Clone renamed', tags: ['sdk'] });
  assert.equal(updated.displayName, 'SDK Clone renamed');
  assert.equal((await sdk.getVoice(voiceId)).displayName, 'SDK Clone renamed');

  await sdk.deleteVoice(voiceId);
  await assert.rejects(sdk.getVoice(voiceId), (error: Error & { code?: unknown }) => error.code === 404);
});

test('design previews, then publish one and speak with it', async () => {
  const designed = await sdk.designVoice({
    designPrompt: 'A calm, warm narrator with a low voice and a slow, careful pace.',
    previewText: 'This is how I sound.',
    numberOfSamples: 2,
  });
  assert.equal(designed.previewVoices.length, 2);
  for (const preview of designed.previewVoices) {
    assert.ok(preview.voiceId);
    assert.ok(Buffer.from(preview.previewAudio ?? '', 'base64').length > 1000, 'each preview carries audio');
  }
  const published = await sdk.publishVoice({ voice: designed.previewVoices[0]!.voiceId, displayName: 'SDK Narrator' });
  assert.equal(published.displayName, 'SDK Narrator');
  const audio = await sdk.generate({ text: 'Published and speaking.', voice: published.voiceId });
  assert.ok(audio.length > 1000);
  await sdk.deleteVoice(published.voiceId);
});
