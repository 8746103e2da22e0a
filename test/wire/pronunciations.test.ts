// inworld.pronunciations against the emulator on a real socket: every call, its requests (paths,
// paging, updateMask, etags), the stale-etag error without a retry, create sent once, and TTS-2
// requests that name dictionaries over HTTP and the WebSocket.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Inworld, NotFoundError, StaleEtagError, ValidationError, type PronunciationEntry } from '../../src/index.js';

const API_KEY = 'pronunciation-test-key';
const TOMATO: PronunciationEntry = { displayHeadword: 'tomato', languageCode: 'en-US', phoneSymbols: ['t', 'ə', 'ˈm', 'eɪ', 't', 'oʊ'] };
const CAT: PronunciationEntry = { displayHeadword: 'Cat', languageCode: 'en-US', phoneSymbols: ['k', 'æ', 't'] };
const PCM = { audioConfig: { audioEncoding: 'PCM' as const, sampleRateHertz: 16000 } };

let emulator: RunningEmulator;
let inworld: Inworld;
before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true, apiKey: API_KEY });
  inworld = connect('wire');
});
after(async () => {
  await inworld?.close();
  await emulator?.close();
});
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
});

function connect(workspace?: string, env: Record<string, string> = {}): Inworld {
  return new Inworld({ apiKey: API_KEY, baseUrl: emulator.url, env, configPath: null, timeoutMs: 5000, maxRetries: 2, ...(workspace ? { workspace } : {}) });
}

const requests = (method: string) => emulator.requests.list().filter((request) => request.method === method);

test('create, get and list: the service name, id, workspace and etag come back', async () => {
  const created = await inworld.pronunciations.create({ displayName: 'Produce', entries: [TOMATO] });
  assert.equal(created.workspace, 'wire');
  assert.equal(created.name, `workspaces/wire/pronunciationDictionaries/${created.id}`);
  assert.deepEqual(created.entries, [TOMATO]);
  assert.ok(created.etag);
  const [post] = requests('POST');
  assert.equal(post!.path, '/pronunciations/v1/workspaces/wire/pronunciationDictionaries');
  assert.deepEqual(post!.body, { displayName: 'Produce', pronunciations: [TOMATO] }, 'entries travel as `pronunciations`');
  assert.deepEqual(await inworld.pronunciations.get(created.id), created);
  assert.deepEqual(await inworld.pronunciations.get(created.name), created);
  assert.ok((await inworld.pronunciations.list()).some((dictionary) => dictionary.name === created.name));
});

test('list follows every page of at most 5 to the end', async () => {
  const paged = connect('paging');
  for (let i = 0; i < 12; i += 1) await paged.pronunciations.create({ displayName: `Dictionary ${i}`, entries: [] });
  emulator.requests.clear();
  const all = await paged.pronunciations.list();
  assert.deepEqual(all.map((dictionary) => dictionary.displayName), Array.from({ length: 12 }, (_, i) => `Dictionary ${i}`));
  const gets = requests('GET');
  assert.equal(gets.length, 3);
  assert.ok(gets.every((request) => request.query.pageSize === '5'));
  assert.equal(gets[0]!.query.pageToken, undefined);
  assert.ok(gets[1]!.query.pageToken && gets[2]!.query.pageToken);
});

test('the workspace comes from the option, else INWORLD_WORKSPACE_ID, else "default"', async () => {
  for (const [client, workspace] of [
    [connect(undefined, { INWORLD_WORKSPACE_ID: 'from-env' }), 'from-env'],
    [connect(), 'default'],
    [connect('from-option', { INWORLD_WORKSPACE_ID: 'from-env' }), 'from-option'],
  ] as const) {
    emulator.requests.clear();
    await client.pronunciations.list();
    assert.equal(requests('GET')[0]!.path, `/pronunciations/v1/workspaces/${workspace}/pronunciationDictionaries`);
    assert.equal(client.pronunciations.workspace, workspace);
  }
});

test('update sends updateMask for the fields given and the etag; a stale etag is StaleEtagError, not retried', async () => {
  const created = await inworld.pronunciations.create({ displayName: 'Renamed', entries: [TOMATO] });
  emulator.requests.clear();
  const renamed = await inworld.pronunciations.update(created.id, { displayName: 'Renamed twice' }, { etag: created.etag });
  assert.equal(renamed.displayName, 'Renamed twice');
  assert.deepEqual(renamed.entries, [TOMATO]);
  assert.notEqual(renamed.etag, created.etag);
  const [patch] = requests('PATCH');
  assert.equal(patch!.query.updateMask, 'displayName');
  assert.deepEqual(patch!.body, { name: created.name, etag: created.etag, displayName: 'Renamed twice' });

  emulator.requests.clear();
  await assert.rejects(inworld.pronunciations.update(created.id, { entries: [] }, { etag: created.etag }), (error: unknown) => {
    assert.ok(error instanceof StaleEtagError, String(error));
    assert.equal(error.code, 'stale_etag');
    assert.equal(error.status, 409);
    assert.equal(error.dictionary, created.name);
    assert.match(error.hint ?? '', /Conflict/);
    return true;
  });
  assert.equal(requests('PATCH').length, 1, 'a conflict is never retried');
  assert.deepEqual((await inworld.pronunciations.get(created.id)).entries, [TOMATO], 'nothing was written');
});

test('addEntries and removeEntries read, then write with the etag just read', async () => {
  const created = await inworld.pronunciations.create({ displayName: 'Edited', entries: [TOMATO] });
  emulator.requests.clear();
  const added = await inworld.pronunciations.addEntries(created.id, [CAT, { ...TOMATO, phoneSymbols: ['t', 'ə', 'm', 'ɑː', 't', 'oʊ'] }]);
  assert.deepEqual(added.entries.map((entry) => [entry.displayHeadword, entry.phoneSymbols.join('')]), [['Cat', 'kæt'], ['tomato', 'təmɑːtoʊ']]);
  assert.deepEqual(emulator.requests.list().map((request) => request.method), ['GET', 'PATCH']);
  const [patch] = requests('PATCH');
  assert.equal(patch!.query.updateMask, 'pronunciations');
  assert.equal((patch!.body as { etag: string }).etag, created.etag);

  emulator.requests.clear();
  const { dictionary, removed } = await inworld.pronunciations.removeEntries(created.id, [{ displayHeadword: 'CAT' }]);
  assert.deepEqual(removed, [CAT]);
  assert.deepEqual(dictionary.entries.map((entry) => entry.displayHeadword), ['tomato']);
  assert.equal((requests('PATCH')[0]!.body as { etag: string }).etag, added.etag);

  emulator.requests.clear();
  const none = await inworld.pronunciations.removeEntries(created.id, [{ displayHeadword: 'tomato', languageCode: 'fr-FR' }]);
  assert.deepEqual(none.removed, []);
  assert.equal(requests('PATCH').length, 0, 'nothing matched, nothing written');
});

test('a change between the read and the write of addEntries is a StaleEtagError', async () => {
  const created = await inworld.pronunciations.create({ displayName: 'Raced', entries: [] });
  emulator.faults.add({ method: 'PATCH', times: 1, action: { type: 'custom', name: 'pronunciation-concurrent-edit' } });
  await assert.rejects(inworld.pronunciations.addEntries(created.id, [CAT]), (error: unknown) => error instanceof StaleEtagError && /run it again/.test(error.hint ?? ''));
  assert.equal(requests('PATCH').length, 1);
});

test('delete: with the etag, reading it first, allowMissing, and 404 otherwise', async () => {
  const first = await inworld.pronunciations.create({ displayName: 'Gone 1', entries: [] });
  await inworld.pronunciations.delete(first.name, { etag: first.etag });
  const second = await inworld.pronunciations.create({ displayName: 'Gone 2', entries: [] });
  emulator.requests.clear();
  await inworld.pronunciations.delete(second.id);
  assert.deepEqual(emulator.requests.list().map((request) => `${request.method} ${JSON.stringify(request.query)}`), [
    'GET {}',
    `DELETE ${JSON.stringify({ etag: second.etag })}`,
  ]);
  await assert.rejects(inworld.pronunciations.get(second.id), NotFoundError);
  await assert.rejects(inworld.pronunciations.delete(second.id), NotFoundError);
  await inworld.pronunciations.delete(second.id, { allowMissing: true });
  await inworld.pronunciations.delete(second.id, { etag: second.etag, allowMissing: true });
  assert.equal(requests('DELETE').at(-1)!.query.allowMissing, 'true');
});

test('bad input throws ValidationError before any request', async () => {
  const bad: Array<[string, () => Promise<unknown>]> = [
    ['no IPA', () => inworld.pronunciations.create({ displayName: 'x', entries: [{ ...TOMATO, phoneSymbols: [] }] })],
    ['bad language', () => inworld.pronunciations.create({ displayName: 'x', entries: [{ ...TOMATO, languageCode: 'english' }] })],
    ['blank name', () => inworld.pronunciations.create({ displayName: ' ', entries: [] })],
    ['a word twice', () => inworld.pronunciations.create({ displayName: 'x', entries: [TOMATO, { ...TOMATO, displayHeadword: 'TOMATO' }] })],
    ['1001 entries', () => inworld.pronunciations.create({ displayName: 'x', entries: Array.from({ length: 1001 }, (_, i) => ({ ...TOMATO, displayHeadword: `w${i}` })) })],
    ['over 512 KiB', () => inworld.pronunciations.create({ displayName: 'x', entries: Array.from({ length: 600 }, (_, i) => ({ ...TOMATO, displayHeadword: `w${i}`, phoneSymbols: ['ə'.repeat(500)] })) })],
    ['no etag', () => inworld.pronunciations.update('some-id', { displayName: 'y' }, { etag: '' })],
    ['not a name', () => inworld.pronunciations.get('projects/x/y')],
  ];
  for (const [what, call] of bad) await assert.rejects(call(), ValidationError, what);
  assert.equal(emulator.requests.list().length, 0);
});

test('create is sent once: a 503 after sending is not retried, while a list is', async () => {
  emulator.faults.add('status=503,method=POST,times=1');
  await assert.rejects(inworld.pronunciations.create({ displayName: 'Once', entries: [] }), /503/);
  assert.equal(requests('POST').length, 1);
  emulator.faults.add('status=503,method=GET,times=1');
  await inworld.pronunciations.list();
  assert.equal(requests('GET').length, 2);
});

test('TTS-2 synthesis names dictionaries; the audio of the headword changes; 1.x models are refused before sending', async () => {
  const { name } = await inworld.pronunciations.create({ displayName: 'Spoken', entries: [TOMATO] });
  const text = 'I say tomato.';
  emulator.requests.clear();
  const plain = await inworld.tts.generate({ text, modelId: 'inworld-tts-2', ...PCM });
  const pronounced = await inworld.tts.generate({ text, modelId: 'inworld-tts-2', pronunciationDictionaries: [name], ...PCM });
  assert.notDeepEqual(pronounced.audio, plain.audio);
  const bodies = emulator.requests.find('/tts/v1/voice').map((request) => request.body as Record<string, unknown>);
  assert.equal(bodies[0]!.pronunciationDictionarySettings, undefined);
  assert.deepEqual(bodies[1]!.pronunciationDictionarySettings, { dictionaries: [{ dictionary: name }] });

  emulator.requests.clear();
  assert.throws(() => inworld.tts.stream({ modelId: 'inworld-tts-1.5-max', pronunciationDictionaries: [name], ...PCM }), ValidationError);
  await assert.rejects(inworld.tts.generate({ text, modelId: 'inworld-tts-2', pronunciationDictionaries: [name, name, name, name], ...PCM }), ValidationError);
  assert.equal(emulator.requests.list().length, 0);

  const stream = inworld.tts.stream({ modelId: 'inworld-tts-2', pronunciationDictionaries: [name], ...PCM });
  stream.sendText(text, { flush: true });
  stream.end();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) if (chunk.type === 'audio') chunks.push(chunk.audio);
  assert.deepEqual(Buffer.concat(chunks), pronounced.audio, 'the WebSocket says it the same way');
  const socket = emulator.requests.find('/tts/v1/voice:streamBidirectional')[0]!;
  const create = (socket.messages as Array<Record<string, any>>).find((message) => message.create)!;
  assert.deepEqual(create.create.pronunciationDictionarySettings, { dictionaries: [{ dictionary: name }] });
});

test('an unknown dictionary in a TTS request is the server\'s 404', async () => {
  await assert.rejects(
    inworld.tts.generate({ text: 'Hello.', modelId: 'inworld-tts-2', pronunciationDictionaries: ['workspaces/wire/pronunciationDictionaries/missing'], ...PCM }),
    NotFoundError,
  );
});
