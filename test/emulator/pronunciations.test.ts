// The emulator's Pronunciation Dictionaries API over raw HTTP, and dictionaries in synthesis
// (HTTP and the WebSocket create): etags, paging, limits, and audio that changes for a headword.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { AUTH, get, post, readJson, start, ttsBody } from './http-support.js';
import { RawTtsClient } from './tts-ws-helpers.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await start();
});
after(() => emulator.close());
beforeEach(() => emulator.faults.clear());

const COLLECTION = '/pronunciations/v1/workspaces/ws1/pronunciationDictionaries';
const TOMATO = { displayHeadword: 'tomato', languageCode: 'en-US', phoneSymbols: ['t', 'ə', 'm', 'ɑ', 't', 'oʊ'] };

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(path.replace(/^\//, ''), emulator.url), {
    method,
    headers: AUTH,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await readJson(response) };
}

async function create(displayName: string, pronunciations: unknown[] = [TOMATO], workspace = 'ws1'): Promise<any> {
  const { status, body } = await send('POST', `/pronunciations/v1/workspaces/${workspace}/pronunciationDictionaries`, { displayName, pronunciations });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

const itemPath = (name: string): string => `/pronunciations/v1/${name}`;

test('create answers the dictionary with a service-assigned name and an etag; get returns it', async () => {
  const created = await create('Produce');
  assert.match(created.name, /^workspaces\/ws1\/pronunciationDictionaries\/[0-9a-f-]{36}$/);
  assert.equal(created.displayName, 'Produce');
  assert.deepEqual(created.pronunciations, [TOMATO]);
  assert.ok(typeof created.etag === 'string' && created.etag.length > 0);
  const fetched = await send('GET', itemPath(created.name));
  assert.deepEqual(fetched.body, created);
});

test('every update changes the etag; a stale etag is 409 ABORTED and changes nothing', async () => {
  const created = await create('Etags');
  const path = `${itemPath(created.name)}?updateMask=displayName`;
  const first = await send('PATCH', path, { name: created.name, displayName: 'Etags', etag: created.etag });
  assert.equal(first.status, 200);
  assert.notEqual(first.body.etag, created.etag, 'a write with the same content still gets a new etag');
  const stale = await send('PATCH', path, { displayName: 'Lost update', etag: created.etag });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.code, 10);
  assert.match(stale.body.message, /stale/);
  assert.equal((await send('GET', itemPath(created.name))).body.displayName, 'Etags');
});

test('PATCH needs an updateMask and an etag, and replaces the entries it names', async () => {
  const created = await create('Masks', [TOMATO, { displayHeadword: 'cat', languageCode: 'en-US', phoneSymbols: ['k', 'æ', 't'] }]);
  const path = itemPath(created.name);
  assert.equal((await send('PATCH', path, { displayName: 'x', etag: created.etag })).status, 400);
  assert.equal((await send('PATCH', `${path}?updateMask=displayName`, { displayName: 'x' })).status, 400);
  assert.equal((await send('PATCH', `${path}?updateMask=etag`, { etag: created.etag })).status, 400);
  const replaced = await send('PATCH', `${path}?updateMask=pronunciations`, { pronunciations: [TOMATO], etag: created.etag });
  assert.equal(replaced.status, 200);
  assert.deepEqual(replaced.body.pronunciations, [TOMATO]);
  assert.equal(replaced.body.displayName, 'Masks', 'a field outside the mask is kept');
});

test('DELETE needs the current etag; allowMissing makes a missing dictionary a success', async () => {
  const created = await create('Doomed');
  const path = itemPath(created.name);
  assert.equal((await send('DELETE', path)).status, 400);
  assert.equal((await send('DELETE', `${path}?etag=old`)).status, 409);
  assert.equal((await send('DELETE', `${path}?etag=${created.etag}`)).status, 200);
  assert.equal((await send('GET', path)).status, 404);
  assert.equal((await send('DELETE', `${path}?etag=${created.etag}`)).status, 404);
  assert.equal((await send('DELETE', `${path}?etag=${created.etag}&allowMissing=true`)).status, 200);
});

test('a list page holds at most 5 dictionaries; the token leads to the rest of that workspace only', async () => {
  for (let i = 0; i < 7; i += 1) await create(`Paged ${i}`, [TOMATO], 'paging');
  await create('Elsewhere', [TOMATO], 'other');
  const first = await send('GET', '/pronunciations/v1/workspaces/paging/pronunciationDictionaries?pageSize=50');
  assert.equal(first.body.pronunciationDictionaries.length, 5);
  assert.ok(first.body.nextPageToken);
  const second = await send('GET', `/pronunciations/v1/workspaces/paging/pronunciationDictionaries?pageToken=${first.body.nextPageToken}`);
  assert.deepEqual(second.body.pronunciationDictionaries.map((d: any) => d.displayName), ['Paged 5', 'Paged 6']);
  assert.equal(second.body.nextPageToken, '');
  const foreign = await send('GET', `/pronunciations/v1/workspaces/other/pronunciationDictionaries?pageToken=${first.body.nextPageToken}`);
  assert.equal(foreign.status, 400);
  assert.equal((await send('GET', '/pronunciations/v1/workspaces/paging/pronunciationDictionaries?pageSize=-1')).status, 400);
});

test('create refuses the whole dictionary for one bad entry, a repeated word, or a limit', async () => {
  const refused = async (displayName: unknown, pronunciations: unknown): Promise<string> => {
    const { status, body } = await send('POST', COLLECTION, { displayName, pronunciations });
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(body.code, 3);
    return body.message as string;
  };
  assert.match(await refused('', [TOMATO]), /display_name/);
  assert.match(await refused('x'.repeat(65), [TOMATO]), /64/);
  assert.match(await refused('No IPA', [{ ...TOMATO, phoneSymbols: [] }]), /phone_symbols/);
  assert.match(await refused('Bad language', [{ ...TOMATO, languageCode: 'english!' }]), /language_code/);
  assert.match(await refused('Twice', [TOMATO, { ...TOMATO, displayHeadword: 'Tomato' }]), /both define/);
  const many = Array.from({ length: 1001 }, (_, i) => ({ ...TOMATO, displayHeadword: `word${i}` }));
  assert.match(await refused('Too many', many), /at most 1000/);
  const big = Array.from({ length: 600 }, (_, i) => ({ ...TOMATO, displayHeadword: `w${i}`, phoneSymbols: ['ə'.repeat(500)] }));
  assert.match(await refused('Too big', big), /524288 bytes/);
});

test('unknown dictionaries are 404; other methods 405', async () => {
  assert.equal((await send('GET', `${COLLECTION}/no-such-id`)).status, 404);
  assert.equal((await send('PUT', COLLECTION, {})).status, 405);
});

test('a concurrent-edit fault changes the dictionary just before a PATCH is checked', async () => {
  const created = await create('Raced');
  emulator.faults.add({ method: 'PATCH', times: 1, action: { type: 'custom', name: 'pronunciation-concurrent-edit' } });
  const raced = await send('PATCH', `${itemPath(created.name)}?updateMask=displayName`, { displayName: 'Mine', etag: created.etag });
  assert.equal(raced.status, 409);
});

async function synthesize(overrides: Record<string, unknown>): Promise<{ status: number; audio?: Buffer; body: any }> {
  const response = await post(emulator, '/tts/v1/voice', ttsBody({ modelId: 'inworld-tts-2', text: 'I say tomato, you say tomato.', ...overrides }));
  const body = await readJson(response);
  return { status: response.status, body, audio: body.audioContent ? Buffer.from(body.audioContent, 'base64') : undefined };
}

test('a dictionary changes the audio of its headword, the same way every time, and only there', async () => {
  const { name } = await create('Spoken', [TOMATO]);
  const settings = { pronunciationDictionarySettings: { dictionaries: [{ dictionary: name }] } };
  const plain = await synthesize({});
  const withDictionary = await synthesize(settings);
  const again = await synthesize(settings);
  assert.equal(withDictionary.status, 200, JSON.stringify(withDictionary.body));
  assert.notDeepEqual(withDictionary.audio, plain.audio);
  assert.deepEqual(again.audio, withDictionary.audio);
  const elsewhere = { text: 'Nothing to replace here.' };
  assert.deepEqual((await synthesize({ ...elsewhere, ...settings })).audio, (await synthesize(elsewhere)).audio);
  const timed = await synthesize({ ...settings, timestampType: 'WORD' });
  assert.deepEqual(timed.body.timestampInfo.wordAlignment.words, ['I', 'say', 'tomato,', 'you', 'say', 'tomato.'], 'timestamps keep the written words');
  const otherLanguage = await synthesize({ ...settings, language: 'fr-FR' });
  assert.deepEqual(otherLanguage.audio, (await synthesize({ language: 'fr-FR' })).audio, 'an en-US entry does not apply to French');
});

test('synthesis refuses an unknown dictionary (404), more than 3 (400), a 1.5 model (400), and the workspace switch with them', async () => {
  const { name } = await create('Checks');
  const naming = (names: string[]) => ({ pronunciationDictionarySettings: { dictionaries: names.map((dictionary) => ({ dictionary })) } });
  assert.equal((await synthesize(naming(['workspaces/ws1/pronunciationDictionaries/nope']))).status, 404);
  const four = await synthesize(naming([name, name, name, name]));
  assert.equal(four.status, 400);
  assert.match(four.body.message, /At most 3/);
  assert.equal((await synthesize({ ...naming([name]), modelId: 'inworld-tts-1.5-max' })).status, 400);
  assert.equal((await synthesize({ ...naming([name]), enableCustomPronunciation: true })).status, 400);
  assert.equal((await synthesize(naming([name, name, name]))).status, 200);
});

test('the WebSocket create takes the dictionaries too: echoed, applied, unknown ones refused per context', async () => {
  const { name } = await create('Socket');
  const client = await RawTtsClient.connect(emulator);
  const createFrame = (contextId: string, dictionary: string) => ({
    contextId,
    create: { voiceId: 'Ashley', modelId: 'inworld-tts-2', audioConfig: { audioEncoding: 'PCM', sampleRateHertz: 16000 }, pronunciationDictionarySettings: { dictionaries: [{ dictionary }] } },
  });
  client.send(createFrame('bad', 'workspaces/ws1/pronunciationDictionaries/nope'));
  client.send(createFrame('good', name));
  client.send({ contextId: 'good', send_text: { text: 'tomato', flush_context: {} } });
  client.send({ contextId: 'good', close_context: {} });
  await client.until((frames) => frames.some((frame) => frame.result?.contextClosed && frame.result.contextId === 'good'), 'contextClosed');
  const refusal = client.frames.find((frame) => frame.result?.contextId === 'bad');
  assert.equal(refusal?.result?.status?.code, 5);
  const created = client.frames.find((frame) => frame.result?.contextCreated);
  assert.deepEqual(created?.result?.contextCreated.pronunciationDictionarySettings, { dictionaries: [{ dictionary: name }] });
  const socketAudio = Buffer.concat(client.frames.filter((f) => f.result?.audioChunk).map((f) => Buffer.from(f.result!.audioChunk.audioContent, 'base64')));
  const httpAudio = await synthesize({ text: 'tomato', pronunciationDictionarySettings: { dictionaries: [{ dictionary: name }] } });
  const plainAudio = await synthesize({ text: 'tomato' });
  assert.deepEqual(socketAudio, httpAudio.audio, 'the same pronunciation over both transports');
  assert.notDeepEqual(socketAudio, plainAudio.audio);
  client.socket.close();
});

test('the collection path without paging parameters lists the first page', async () => {
  const response = await get(emulator, COLLECTION);
  assert.equal(response.status, 200);
  const body = await readJson(response);
  assert.ok(Array.isArray(body.pronunciationDictionaries));
});
