import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { InworldClient } from '../../src/core/client.js';
import { ValidationError } from '../../src/core/errors.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  LEGACY_VOICES_PATH,
  VOICE_API_PATH,
  langCodeToBcp47,
  listVoices,
  listVoicesDetailed,
  normaliseLegacyVoice,
  normaliseVoiceApiVoice,
} from '../../src/voices/list.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
});
after(async () => {
  await emulator?.close();
});

function client(url = emulator.url): InworldClient {
  return new InworldClient({ apiKey: 'k', baseUrl: url, env: {}, configPath: null, timeoutMs: 5000, maxRetries: 1 });
}

test('lists every voice from the Voice API, normalised', async () => {
  emulator.requests.clear();
  const result = await listVoicesDetailed(client());
  assert.equal(result.source, 'voice-api');
  const ashley = result.voices.find((v) => v.id === 'Ashley')!;
  assert.equal(ashley.displayName, 'Ashley');
  assert.equal(ashley.languages[0], 'en-US');
  assert.equal(ashley.gender, 'FEMALE');
  assert.equal(ashley.source, 'SYSTEM');
  assert.equal(ashley.isCustom, false);
  assert.equal(ashley.origin, 'voice-api');
  assert.ok(Array.isArray(ashley.tags));
  assert.equal(emulator.requests.find(LEGACY_VOICES_PATH).length, 0);
});

test('the language becomes the filter lang_code = "<code>"', async () => {
  emulator.requests.clear();
  const voices = await listVoices(client(), { language: 'ja' });
  assert.ok(voices.length > 0);
  for (const voice of voices) assert.ok(voice.languages.some((l) => l.startsWith('ja')), voice.id);
  const [request] = emulator.requests.find(VOICE_API_PATH);
  assert.equal(request!.query.filter, 'lang_code = "ja"');
});

test('follows nextPageToken across pages', async () => {
  emulator.requests.clear();
  const all = await listVoices(client());
  const paged = await listVoices(client(), { pageSize: 5 });
  assert.deepEqual(paged.map((v) => v.id), all.map((v) => v.id));
  assert.equal(emulator.requests.find(VOICE_API_PATH).length, 1 + Math.ceil(all.length / 5));
});

test('falls back to the legacy endpoint when the Voice API answers 404', async () => {
  const old = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, voiceApiNotFound: true });
  try {
    const result = await listVoicesDetailed(client(old.url), { language: 'en-US' });
    assert.equal(result.source, 'legacy');
    assert.ok(result.voices.length > 0);
    for (const voice of result.voices) {
      assert.deepEqual(voice.languages, ['en']);
      assert.equal(voice.origin, 'legacy');
      assert.equal(voice.isCustom, false);
    }
    assert.equal(old.requests.find(VOICE_API_PATH).length, 1, 'the 404 is not retried');
    const [legacy] = old.requests.find(LEGACY_VOICES_PATH);
    assert.equal(legacy!.query.filter, 'language=en');
  } finally {
    await old.close();
  }
});

test('legacyOnly skips the Voice API', async () => {
  emulator.requests.clear();
  const result = await listVoicesDetailed(client(), { legacyOnly: true, language: 'es' });
  assert.equal(result.source, 'legacy');
  assert.ok(result.voices.every((v) => v.languages.includes('es')));
  assert.equal(emulator.requests.find(VOICE_API_PATH).length, 0);
});

test('a bad language is a ValidationError before any request', async () => {
  emulator.requests.clear();
  await assert.rejects(listVoices(client(), { language: 'not a code' }), ValidationError);
  assert.equal(emulator.requests.list().length, 0);
});

test('langCodeToBcp47', () => {
  assert.equal(langCodeToBcp47('EN_US'), 'en-US');
  assert.equal(langCodeToBcp47('AUTO'), 'auto');
  assert.equal(langCodeToBcp47('zh_Hant_TW'), 'zh-Hant-TW');
});

test('a full BCP-47 code works as the Voice API filter', async () => {
  emulator.requests.clear();
  const voices = await listVoices(client(), { language: 'en-US' });
  assert.ok(voices.length > 0);
  assert.ok(voices.every((v) => v.languages.includes('en-US')));
  assert.equal(emulator.requests.find(VOICE_API_PATH)[0]!.query.filter, 'lang_code = "en-US"');
});

test('normalisation of both shapes: empty gender/age dropped, custom voices recognised', () => {
  assert.deepEqual(
    normaliseVoiceApiVoice({
      name: 'workspaces/ws1/voices/ws1__narrator',
      voiceId: 'ws1__narrator',
      langCode: 'EN_GB',
      displayName: 'Narrator',
      description: 'Mine',
      tags: ['a'],
      categories: [],
      source: 'IVC',
      gender: '',
      ageGroup: '',
      promptLanguages: ['en-GB', 'fr-FR'],
    }),
    {
      id: 'ws1__narrator',
      displayName: 'Narrator',
      languages: ['en-GB', 'fr-FR'],
      description: 'Mine',
      isCustom: true,
      tags: ['a'],
      source: 'IVC',
      name: 'workspaces/ws1/voices/ws1__narrator',
      origin: 'voice-api',
    },
  );
  assert.deepEqual(normaliseLegacyVoice({ languages: ['en'], voiceId: 'Ashley', displayName: 'Ashley', description: 'Warm', tags: [], isCustom: false }), {
    id: 'Ashley',
    displayName: 'Ashley',
    languages: ['en'],
    description: 'Warm',
    isCustom: false,
    tags: [],
    source: 'SYSTEM',
    origin: 'legacy',
  });
  assert.equal(normaliseVoiceApiVoice({ displayName: 'no id' }), undefined);
  assert.equal(normaliseLegacyVoice(null), undefined);
  assert.equal(normaliseVoiceApiVoice({ name: 'workspaces/x/voices/Bob' })!.id, 'Bob');
});
