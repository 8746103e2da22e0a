// `inworld pronunciations …` and `--pronunciation-dict` end to end: the built CLI in a child
// process against an emulator on loopback (one emulator for the file, so dictionaries persist
// between commands), with the requests each command sent read back from the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';

const KEY = 'cHJvbnVuY2lhdGlvbnM6dGVzdA==';
let emulator: RunningEmulator;
let dir: string;

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'inworld-pronunciations-'));
});
after(() => emulator.close());
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
});

function run(args: string[], extra: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const env = cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, INWORLD_WORKSPACE_ID: 'cli', ...extra });
  return runCli(args, { env, ...(input === undefined ? {} : { input }) });
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const dictionaryRequests = () => emulator.requests.list().filter((request) => request.path.startsWith('/pronunciations/'));
const json = (result: CliResult): any => JSON.parse(result.stdout.toString('utf8'));

async function created(name: string, csv = 'tomato,en-US,/təˈmeɪtoʊ/\n'): Promise<any> {
  const result = await run(['pronunciations', 'create', name, '--from', file(`${name}.csv`, csv), '--json']);
  assert.equal(result.code, 0, result.stderr);
  return json(result);
}

describe('the subcommands', () => {
  test('create imports a CSV file and prints the resource name', async () => {
    const csv = file('produce.csv', 'headword,language,ipa\ntomato,en-US,/təˈmeɪtoʊ/\n"Nguyen",en_US,w ɪ n\n');
    const result = await run(['pronunciations', 'create', 'Produce', '--from', csv]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout.toString(), /^workspaces\/cli\/pronunciationDictionaries\/[0-9a-f-]{36}\n$/);
    assert.match(result.stderr, /Created "Produce" with 2 entries/);
    const post = emulator.requests.list().find((request) => request.method === 'POST')!;
    assert.equal(post.path, '/pronunciations/v1/workspaces/cli/pronunciationDictionaries');
    assert.deepEqual(post.body, {
      displayName: 'Produce',
      pronunciations: [
        { displayHeadword: 'tomato', languageCode: 'en-US', phoneSymbols: ['t', 'ə', 'ˈ', 'm', 'eɪ', 't', 'oʊ'] },
        { displayHeadword: 'Nguyen', languageCode: 'en-US', phoneSymbols: ['w', 'ɪ', 'n'] },
      ],
    });
  });

  test('create imports JSON, and refuses a name already used', async () => {
    const entries = [{ displayHeadword: 'Cat', languageCode: 'en-US', phoneSymbols: ['k', 'æ', 't'] }];
    const result = await run(['pronunciations', 'create', 'Animals', '--from', file('animals.json', JSON.stringify(entries)), '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(json(result).entries, entries);
    emulator.requests.clear();
    const again = await run(['pronunciations', 'create', 'animals']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /A dictionary named "Animals" already exists/);
    assert.equal(emulator.requests.list().filter((request) => request.method === 'POST').length, 0);
  });

  test('list shows every dictionary of the workspace; --json gives them whole', async () => {
    await created('Listed');
    const table = await run(['pronunciations', 'list']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout.toString(), /^NAME +ID +ENTRIES +LANGUAGES\n/);
    assert.match(table.stdout.toString(), /\nListed +[0-9a-f-]{36} +1 +en-US\n/);
    const listed = json(await run(['pronunciations', 'list', '--json']));
    assert.ok(listed.some((dictionary: any) => dictionary.displayName === 'Listed' && dictionary.entries.length === 1));
    const elsewhere = await run(['pronunciations', 'list', '--workspace', 'empty-one']);
    assert.equal(elsewhere.code, 0);
    assert.equal(elsewhere.stdout.length, 0);
    assert.match(elsewhere.stderr, /No pronunciation dictionaries in workspace empty-one/);
  });

  test('show by display name, id or resource name; an unknown name suggests the nearest', async () => {
    const dictionary = await created('Shown');
    for (const name of ['Shown', dictionary.id, dictionary.name]) {
      const result = await run(['pronunciations', 'show', name]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.toString(), 'HEADWORD  LANGUAGE  IPA\ntomato    en-US     /təˈmeɪtoʊ/\n');
    }
    assert.deepEqual(json(await run(['pronunciations', 'show', 'Shown', '--json'])).entries[0].displayHeadword, 'tomato');
    const unknown = await run(['pronunciations', 'show', 'Shwn']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No pronunciation dictionary "Shwn" in workspace cli\. Did you mean "Shown"\?/);
  });

  test('add reads the dictionary and writes it back with its etag; the same word again replaces it', async () => {
    const dictionary = await created('Grown');
    emulator.requests.clear();
    const result = await run(['pronunciations', 'add', 'Grown', 'potato', '/pəˈteɪtoʊ/']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Added "potato" \/pəˈteɪtoʊ\/ \(en-US\) in "Grown" \(2 entries/);
    const patch = dictionaryRequests().find((request) => request.method === 'PATCH')!;
    assert.equal(patch.query.updateMask, 'pronunciations');
    assert.equal((patch.body as any).etag, dictionary.etag);
    const replaced = await run(['pronunciations', 'add', 'Grown', 'TOMATO', 't ə m ɑː t oʊ', '--json']);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.deepEqual(json(replaced).entries.map((entry: any) => entry.phoneSymbols.join(' ')), ['p ə ˈ t eɪ t oʊ', 't ə m ɑː t oʊ']);
    const spanish = await run(['pronunciations', 'add', 'Grown', 'tomate', '/tomate/', '--lang', 'es-ES', '--json']);
    assert.equal(json(spanish).entries.length, 3);
  });

  test('remove takes the entries for a word out; a word it does not hold is exit 2 with nothing written', async () => {
    await created('Pruned', 'tomato,en-US,/t/\ntomato,es-ES,/t/\ncat,en-US,/kæt/\n');
    const one = await run(['pronunciations', 'remove', 'Pruned', 'Tomato', '--lang', 'es-ES', '--json']);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(json(one).entries.map((entry: any) => `${entry.displayHeadword}/${entry.languageCode}`), ['tomato/en-US', 'cat/en-US']);
    const all = await run(['pronunciations', 'remove', 'Pruned', 'cat']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /Removed "cat" \/kæt\/ \(en-US\) from "Pruned" \(1 entry/);
    emulator.requests.clear();
    const missing = await run(['pronunciations', 'remove', 'Pruned', 'tomatoe']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /has no entry for "tomatoe"; nothing was changed\. Did you mean "tomato"\?/);
    assert.equal(dictionaryRequests().filter((request) => request.method === 'PATCH').length, 0);
  });

  test('delete asks for --yes without a terminal, then deletes with the etag it read', async () => {
    const dictionary = await created('Doomed');
    emulator.requests.clear();
    const refused = await run(['pronunciations', 'delete', 'Doomed']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Not deleting "Doomed" without asking.*Pass --yes/);
    assert.equal(dictionaryRequests().length, 0);
    const result = await run(['pronunciations', 'delete', 'Doomed', '--yes', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(json(result), { deleted: dictionary.name });
    const deletion = dictionaryRequests().find((request) => request.method === 'DELETE')!;
    assert.equal(deletion.query.etag, dictionary.etag);
    assert.equal((await run(['pronunciations', 'show', dictionary.id])).code, 2);
  });
});

describe('bad input: one line, exit 2, nothing sent', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an entry without IPA', ['create', 'X', '--from', 'noipa.csv'], /noipa\.csv:2: "tomato" has no IPA; give it in the third field/],
    ['a bad language code', ['create', 'X', '--from', 'lang.csv'], /lang\.csv:1: "english" is not a language code/],
    ['malformed CSV', ['create', 'X', '--from', 'quote.csv'], /quote\.csv:1:4: a quote inside an unquoted field/],
    ['over 1000 entries', ['create', 'X', '--from', 'many.csv'], /1001 entries: one dictionary holds at most 1000/],
    ['over 512 KiB', ['create', 'X', '--from', 'big.json'], /one dictionary holds at most 512 KiB/],
    ['JSON entry without IPA', ['create', 'X', '--from', 'noipa.json'], /noipa\.json entry 1 \("cat"\) has no IPA/],
    ['a missing file', ['create', 'X', '--from', 'absent.csv'], /absent\.csv/],
    ['a name over 64 characters', ['create', 'x'.repeat(65)], /65 characters; the service allows 64/],
    ['empty IPA to add', ['add', 'X', 'cat', '//'], /The IPA is empty/],
    ['a bad --lang', ['add', 'X', 'cat', '/kæt/', '--lang', 'english'], /--lang must be a BCP-47 code/],
  ];
  before(() => {
    file('noipa.csv', 'cat,en-US,/kæt/\ntomato,en-US,\n');
    file('lang.csv', 'tomato,english,/t/\n');
    file('quote.csv', 'tom"ato,en-US,/t/\n');
    file('many.csv', Array.from({ length: 1001 }, (_, i) => `w${i},en-US,/t/`).join('\n'));
    file('big.json', JSON.stringify(Array.from({ length: 600 }, (_, i) => ({ displayHeadword: `w${i}`, languageCode: 'en-US', phoneSymbols: ['ə'.repeat(500)] }))));
    file('noipa.json', JSON.stringify([{ displayHeadword: 'cat', languageCode: 'en-US' }]));
  });
  for (const [what, args, expected] of cases) {
    test(what, async () => {
      const resolved = args.map((arg) => (/\.(csv|json)$/.test(arg) ? join(dir, arg) : arg));
      const result = await run(['pronunciations', ...resolved]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.equal(emulator.requests.list().length, 0);
    });
  }
});

describe('a stale etag', () => {
  test('add: exit 1 naming the conflict, and running it again works', async () => {
    await created('Contested');
    emulator.faults.add({ method: 'PATCH', times: 1, action: { type: 'custom', name: 'pronunciation-concurrent-edit' } });
    const raced = await run(['pronunciations', 'add', 'Contested', 'cat', '/kæt/']);
    assert.equal(raced.code, 1);
    assert.match(raced.stderr, /HTTP 409 ABORTED: .*stale.*Conflict: the dictionary changed while this ran, so nothing was written; run it again/);
    assert.equal(dictionaryRequests().filter((request) => request.method === 'PATCH').length, 1, 'not retried');
    const again = await run(['pronunciations', 'add', 'Contested', 'cat', '/kæt/']);
    assert.equal(again.code, 0, again.stderr);
  });

  test('delete: exit 1, the dictionary stays', async () => {
    await created('Kept');
    emulator.faults.add({ method: 'DELETE', times: 1, action: { type: 'custom', name: 'pronunciation-concurrent-edit' } });
    const raced = await run(['pronunciations', 'delete', 'Kept', '--yes']);
    assert.equal(raced.code, 1);
    assert.match(raced.stderr, /409.*Conflict: it changed after it was read, so it was not deleted; run the command again/);
    assert.equal((await run(['pronunciations', 'show', 'Kept'])).code, 0);
  });
});

describe('--pronunciation-dict on say, stream and --batch', () => {
  test('say: the audio of the headword differs with the dictionary and is the same every time', async () => {
    const dictionary = await created('Said');
    const say = async (out: string, extra: string[] = []): Promise<Buffer> => {
      const result = await run(['say', 'I say tomato.', '--model', 'inworld-tts-2', '-o', join(dir, out), ...extra]);
      assert.equal(result.code, 0, result.stderr);
      return readFileSync(join(dir, out));
    };
    emulator.requests.clear();
    const plain = await say('plain.wav');
    const byName = await say('by-name.wav', ['--pronunciation-dict', 'Said']);
    const byResource = await say('by-resource.wav', ['--pronunciation-dict', dictionary.name]);
    assert.notDeepEqual(byName, plain);
    assert.deepEqual(byName, byResource);
    const bodies = emulator.requests.find('/tts/v1/voice:stream').map((request) => request.body as any);
    assert.equal(bodies[0].pronunciationDictionarySettings, undefined);
    assert.deepEqual(bodies[1].pronunciationDictionarySettings, { dictionaries: [{ dictionary: dictionary.name }] });
    assert.deepEqual(bodies[2].pronunciationDictionarySettings, bodies[1].pronunciationDictionarySettings);
  });

  test('stream and --batch send it in the WebSocket create', async () => {
    const dictionary = await created('Streamed');
    emulator.requests.clear();
    const streamed = await run(['stream', '--model', 'inworld-tts-2', '--pronunciation-dict', 'Streamed', '-o', join(dir, 'streamed.wav')], {}, 'I say tomato.\n');
    assert.equal(streamed.code, 0, streamed.stderr);
    const batch = file('lines.txt', 'tomato\n');
    const batched = await run(['say', '--batch', batch, '--out-dir', join(dir, 'batch'), '--model', 'inworld-tts-2', '--pronunciation-dict', dictionary.id]);
    assert.equal(batched.code, 0, batched.stderr);
    const creates = emulator.requests
      .find('/tts/v1/voice:streamBidirectional')
      .flatMap((request) => (request.messages ?? []) as any[])
      .filter((message) => message.create);
    assert.equal(creates.length, 2);
    for (const message of creates) assert.deepEqual(message.create.pronunciationDictionarySettings, { dictionaries: [{ dictionary: dictionary.name }] });
  });

  test('more than 3, a 1.x model, or an unknown name: exit 2, no synthesis', async () => {
    const four = await run(['say', 'x', '--model', 'inworld-tts-2', '-o', join(dir, 'x.wav'), ...['a', 'b', 'c', 'd'].flatMap((name) => ['--pronunciation-dict', name])]);
    assert.equal(four.code, 2);
    assert.match(four.stderr, /given 4 times; a request uses at most 3/);
    const old = await run(['say', 'x', '--model', 'inworld-tts-1.5-max', '--pronunciation-dict', 'Said', '-o', join(dir, 'x.wav')]);
    assert.equal(old.code, 2);
    assert.match(old.stderr, /Pronunciation dictionaries work only with inworld-tts-2, inworld-tts-2-flash, not inworld-tts-1\.5-max; use --model inworld-tts-2/);
    const unknown = await run(['say', 'x', '--model', 'inworld-tts-2', '--pronunciation-dict', 'Nope', '-o', join(dir, 'x.wav')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No pronunciation dictionary "Nope"/);
    assert.equal(emulator.requests.find('/tts/v1/voice:stream').length, 0);
  });
});
