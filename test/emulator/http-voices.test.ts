// Voice listing (protocol §5): the legacy /tts/v1/voices and the Voice API /voices/v1/voices.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { get, post, readJson, start, ttsBody } from './http-support.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await start();
});
after(() => emulator.close());

async function json(path: string): Promise<{ status: number; body: any }> {
  const response = await get(emulator, path);
  return { status: response.status, body: await readJson(response) };
}

const list = (filter: string, extra = ''): Promise<{ status: number; body: any }> =>
  json(`/voices/v1/voices?filter=${encodeURIComponent(filter)}${extra}`);

test('legacy list: every voice with the documented fields', async () => {
  const { status, body } = await json('/tts/v1/voices');
  assert.equal(status, 200);
  assert.ok(body.voices.length >= 20);
  const ashley = body.voices.find((v: any) => v.voiceId === 'Ashley');
  assert.deepEqual(Object.keys(ashley).sort(), ['description', 'displayName', 'isCustom', 'languages', 'tags', 'voiceId']);
  assert.deepEqual(ashley.languages, ['en']);
  assert.deepEqual(ashley.tags, []);
  assert.equal(ashley.isCustom, false);
  for (const name of ['Dennis', 'Hana', 'Yichen', 'Diego', 'Mathieu', 'Johanna', 'Gianni', 'Minji']) {
    assert.ok(body.voices.some((v: any) => v.voiceId === name), name);
  }
});

test('legacy filter=language=xx, plain or URL-encoded', async () => {
  const plain = await json('/tts/v1/voices?filter=language=ja');
  const encoded = await json('/tts/v1/voices?filter=language%3Dja');
  assert.equal(plain.status, 200);
  assert.ok(plain.body.voices.length >= 2);
  for (const voice of plain.body.voices) assert.deepEqual(voice.languages, ['ja']);
  assert.deepEqual(encoded.body, plain.body);
  const none = await json('/tts/v1/voices?filter=language=xx');
  assert.deepEqual(none.body.voices, []);
  const bad = await json('/tts/v1/voices?filter=gender=male');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 3);
});

test('the legacy endpoint can answer 404, switchable while running', async () => {
  emulator.options.legacyVoicesNotFound = true;
  try {
    const { status, body } = await json('/tts/v1/voices');
    assert.equal(status, 404);
    assert.equal(body.code, 5);
    // The Voice API still works: the client's fallback has somewhere to go.
    assert.equal((await json('/voices/v1/voices')).status, 200);
  } finally {
    emulator.options.legacyVoicesNotFound = false;
  }
});

test('the Voice API can answer 404 too (list and get)', async () => {
  const other = await start({ voiceApiNotFound: true });
  try {
    const listed = await get(other, '/voices/v1/voices');
    assert.equal(listed.status, 404);
    assert.equal((await readJson(listed)).code, 5);
    const one = await get(other, '/voices/v1/voices/Ashley');
    assert.equal(one.status, 404);
    await one.arrayBuffer();
  } finally {
    await other.close();
  }
});

test('Voice API: no parameters lists everything with the Voice API fields', async () => {
  const { status, body } = await json('/voices/v1/voices');
  assert.equal(status, 200);
  assert.equal(body.totalSize, body.voices.length);
  const ashley = body.voices.find((v: any) => v.voiceId === 'Ashley');
  assert.equal(ashley.langCode, 'EN_US');
  assert.equal(ashley.source, 'SYSTEM');
  assert.equal(ashley.gender, 'FEMALE');
  assert.match(ashley.name, /voices\/Ashley$/);
  assert.deepEqual(ashley.promptLanguages, ['en-US']);
  for (const key of ['displayName', 'description', 'tags', 'categories', 'ageGroup']) assert.ok(key in ashley, key);
});

test('Voice API filter: lang_code as en, en-US or EN_US; source; AND; OR; NOT', async () => {
  const en = await list('lang_code = "en"');
  assert.ok(en.body.voices.length >= 15);
  assert.ok(en.body.voices.every((v: any) => v.langCode.startsWith('EN_')));
  assert.ok(en.body.voices.some((v: any) => v.langCode === 'EN_GB'));
  const enUs = await list('lang_code = "en-US"');
  const enUs2 = await list('langCode=EN_US');
  assert.ok(enUs.body.voices.every((v: any) => v.langCode === 'EN_US'));
  assert.deepEqual(enUs2.body, enUs.body);
  assert.ok(enUs.body.voices.length < en.body.voices.length);
  const both = await list('source = "SYSTEM" AND lang_code = "ja"');
  assert.deepEqual(both.body.voices.map((v: any) => v.voiceId).sort(), ['Asuka', 'Hana']);
  const either = await list('lang_code = "ja" OR lang_code = "ko"');
  assert.deepEqual(either.body.voices.map((v: any) => v.voiceId).sort(), ['Asuka', 'Hana', 'Minji']);
  const male = await list('gender = "MALE" AND NOT lang_code = "en"');
  assert.ok(male.body.voices.length > 0);
  assert.ok(male.body.voices.every((v: any) => v.gender === 'MALE' && !v.langCode.startsWith('EN')));
  const ivc = await list('source = "IVC"');
  assert.deepEqual(ivc.body.voices, []);
  assert.equal(ivc.body.totalSize, 0);
});

test('Voice API filter errors are INVALID_ARGUMENT', async () => {
  for (const filter of ['colour = "red"', 'lang_code ~ "en"', 'lang_code = "en" AND']) {
    const { status, body } = await list(filter);
    assert.equal(status, 400, filter);
    assert.equal(body.code, 3);
  }
});

test('Voice API paging walks every voice exactly once', async () => {
  const all = (await json('/voices/v1/voices?orderBy=voice_id')).body.voices.map((v: any) => v.voiceId);
  const seen: string[] = [];
  let token = '';
  let pages = 0;
  do {
    const { status, body } = await json(`/voices/v1/voices?pageSize=7&orderBy=voice_id${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`);
    assert.equal(status, 200);
    assert.ok(body.voices.length <= 7);
    assert.equal(body.totalSize, all.length);
    seen.push(...body.voices.map((v: any) => v.voiceId));
    token = body.nextPageToken;
    pages += 1;
  } while (token && pages < 20);
  assert.deepEqual(seen, all);
  assert.equal(pages, Math.ceil(all.length / 7));
  const snake = await json('/voices/v1/voices?page_size=2&order_by=voice_id');
  assert.deepEqual(snake.body.voices.map((v: any) => v.voiceId), all.slice(0, 2));
});

test('Voice API orderBy display_name desc, and bad orderBy / pageToken / pageSize are 400', async () => {
  const { body } = await json('/voices/v1/voices?orderBy=display_name%20desc');
  const names = body.voices.map((v: any) => v.displayName);
  assert.deepEqual(names, [...names].sort((a: string, b: string) => b.localeCompare(a)));
  for (const query of ['orderBy=colour', 'pageToken=garbage', 'pageSize=-1', 'pageSize=abc']) {
    const response = await json(`/voices/v1/voices?${query}`);
    assert.equal(response.status, 400, query);
    assert.equal(response.body.code, 3);
  }
});

test('Voice API get: one voice at the top level, unknown is NOT_FOUND', async () => {
  const { status, body } = await json('/voices/v1/voices/Dennis');
  assert.equal(status, 200);
  assert.equal(body.voiceId, 'Dennis');
  assert.equal(body.langCode, 'EN_US');
  const missing = await json('/voices/v1/voices/Nobody');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 5);
});

test('Jason, the default voice of LiveKit\'s current plugins, is listed and speaks', async () => {
  const { status, body } = await json('/voices/v1/voices/Jason');
  assert.equal(status, 200);
  assert.equal(body.langCode, 'EN_US');
  assert.equal(body.isCustom ?? false, false);
  const legacy = await json('/tts/v1/voices');
  assert.ok(legacy.body.voices.some((v: any) => v.voiceId === 'Jason'));
  const spoken = await post(emulator, '/tts/v1/voice', ttsBody({ voiceId: 'Jason' }));
  assert.equal(spoken.status, 200);
  assert.ok((await readJson(spoken)).audioContent.length > 0);
});

test('the long workspace paths list and get voices too', async () => {
  const listed = await json('/voices/v1/workspaces/my-ws/voices?filter=lang_code%3D%22ko%22');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.voices.map((v: any) => v.voiceId), ['Minji']);
  const one = await json('/voices/v1/workspaces/my-ws/voices/Minji');
  assert.equal(one.status, 200);
  assert.equal(one.body.langCode, 'KO_KR');
});

test('the 404 switches can be flipped over /_emulator/options', async () => {
  const options = new URL('_emulator/options', emulator.url);
  const patch = (body: unknown): Promise<Response> => fetch(options, { method: 'PATCH', body: JSON.stringify(body) });
  const patched = await patch({ legacyVoicesNotFound: true });
  assert.equal(patched.status, 200);
  assert.equal((await readJson(patched)).legacyVoicesNotFound, true);
  try {
    assert.equal((await json('/tts/v1/voices')).status, 404);
  } finally {
    await (await patch({ legacyVoicesNotFound: false })).arrayBuffer();
  }
  assert.equal((await json('/tts/v1/voices')).status, 200);
  const bad = await patch({ legacyVoicesNotFound: 'yes', voiceApiNotFound: true });
  assert.equal(bad.status, 400);
  assert.equal((await readJson(bad)).code, 3);
  assert.equal(emulator.options.voiceApiNotFound, false, 'a rejected patch changes nothing');
  const current = await readJson(await fetch(options));
  assert.equal(current.logSink, undefined);
  assert.equal(current.apiKeyRequired, false);
});
