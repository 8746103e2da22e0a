// `inworld mcp` over stdio, driven by the SDK's own client: every tool against the in-process
// emulator, bad arguments as tool errors (the server answers the next call), and the output
// directory as the only place files are written or read.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkWavFile } from '../faults/harness.js';
import { fakeAlsa } from '../helpers/alsa.js';
import { needs } from '../helpers/needs.js';
import { wavSample } from '../helpers/voice-samples.js';
import { call, SECRET_KEY, stdioSession, tempDir, type StdioSession } from './mcp-client.js';

const SCRIPT = ['Hello from the test.', 'A second turn.'];
let session: StdioSession;

before(async () => {
  session = await stdioSession({ env: { INWORLD_EMULATOR_STT_SCRIPT: JSON.stringify(SCRIPT) } });
});
after(async () => {
  assert.deepEqual(session.transportErrors.map(String), [], 'standard output carried something that is not the protocol');
  assert.ok(!session.stderr().includes(SECRET_KEY), 'the key appeared on stderr');
  await session.close();
});

describe('inworld mcp over stdio', () => {
  test('lists every tool with a description and an input schema', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['speak', 'transcribe', 'list_voices', 'design_voice', 'publish_voice', 'clone_voice', 'get_usage']);
    for (const tool of tools) {
      assert.ok((tool.description ?? '').length > 40, `${tool.name} has a description`);
      assert.equal(tool.inputSchema.type, 'object');
    }
    const speak = tools.find((tool) => tool.name === 'speak')!;
    assert.deepEqual(speak.inputSchema.required, ['text']);
    assert.ok('voice' in speak.inputSchema.properties! && 'play' in speak.inputSchema.properties!);
  });

  test('speak writes a valid WAV file in the output directory and says what it is', async () => {
    const { result, json } = await call(session.client, 'speak', { text: 'Hello from the MCP server.', voice: 'Dennis' });
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.equal(join(session.outDir, json.path.split('/').at(-1)), json.path);
    const wav = checkWavFile(json.path);
    assert.ok(wav.valid, wav.reason);
    assert.equal(json.voice, 'Dennis');
    assert.ok(json.durationSeconds > 0.5 && Math.abs(json.durationSeconds - wav.data!.length / 48_000) < 0.01);
    assert.ok(json.characters > 0);
    assert.ok(result.content.some((block) => block.type === 'resource_link' && block.uri === `file://${json.path}`));
  });

  const MAGIC: Record<string, (bytes: Buffer) => boolean> = {
    mp3: (b) => b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0),
    ogg_opus: (b) => b.subarray(0, 4).toString('latin1') === 'OggS' && b.includes(Buffer.from('OpusHead')),
    flac: (b) => b.subarray(0, 4).toString('latin1') === 'fLaC',
    pcm: (b) => b.length > 1000 && b.length % 2 === 0 && b.subarray(0, 4).toString('latin1') !== 'RIFF',
    mulaw: (b) => b.length > 1000,
  };
  for (const [format, looksRight] of Object.entries(MAGIC)) {
    test(`speak writes ${format} when asked`, async () => {
      const { result, json } = await call(session.client, 'speak', { text: 'One format at a time.', format, file_name: `fmt-${format}` });
      assert.equal(result.isError, undefined, JSON.stringify(result));
      const bytes = readFileSync(json.path);
      assert.ok(looksRight(bytes), `${json.path} does not look like ${format}`);
      assert.ok(json.durationSeconds > 0.3, `duration ${json.durationSeconds}`);
      if (format === 'mulaw') assert.ok(Math.abs(json.durationSeconds - bytes.length / 8000) < 0.01);
    });
  }

  test('transcribe returns the text, turns with timings and voice profiles of a WAV speak made', async () => {
    const spoken = await call(session.client, 'speak', { text: 'Hello from the test. A second turn.', file_name: 'to-transcribe.wav' });
    const { result, json } = await call(session.client, 'transcribe', { path: 'to-transcribe.wav', words: true });
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.equal(json.path, spoken.json.path);
    assert.ok(json.turns.length >= 1);
    assert.equal(json.text, json.turns.map((turn: { text: string }) => turn.text).join('\n'));
    assert.ok(SCRIPT.includes(json.turns[0].text), json.text);
    assert.ok(json.turns[0].endMs > json.turns[0].startMs);
    assert.ok(json.turns[0].voiceProfile?.age?.[0]?.label, 'a voice profile');
    assert.ok(Array.isArray(json.turns[0].words));
  });

  test('list_voices filters by gender and language', async () => {
    const all = (await call(session.client, 'list_voices', { limit: 1000 })).json;
    const female = (await call(session.client, 'list_voices', { gender: 'female', limit: 1000 })).json;
    const japanese = (await call(session.client, 'list_voices', { language: 'ja', limit: 1000 })).json;
    assert.ok(all.count > female.count && female.count > 0);
    assert.ok(female.voices.every((voice: { gender: string }) => voice.gender === 'FEMALE'));
    assert.ok(japanese.count > 0 && japanese.voices.every((voice: { languages: string[] }) => voice.languages.some((code) => code.startsWith('ja'))));
    const two = (await call(session.client, 'list_voices', { limit: 2 })).json;
    assert.equal(two.voices.length, 2);
    assert.equal(two.truncated, true);
  });

  test('design_voice writes previews, publish_voice keeps one, speak uses it', async () => {
    const design = await call(session.client, 'design_voice', { description: 'a calm older man with a low, warm voice', preview_text: 'Good evening, everyone.', samples: 2 });
    assert.equal(design.result.isError, undefined, design.text);
    assert.equal(design.json.previews.length, 2);
    for (const preview of design.json.previews) assert.ok(existsSync(preview.path) && preview.path.startsWith(session.outDir));
    const published = await call(session.client, 'publish_voice', { preview_id: design.json.previews[0].previewId, display_name: 'Evening Narrator' });
    assert.equal(published.result.isError, undefined, published.text);
    const spoken = await call(session.client, 'speak', { text: 'Spoken by the new voice.', voice: published.json.voice.id });
    assert.equal(spoken.result.isError, undefined, spoken.text);
  });

  test('clone_voice makes a voice from a recording in the output directory', async () => {
    writeFileSync(join(session.outDir, 'sample.wav'), wavSample(5));
    const cloned = await call(session.client, 'clone_voice', { display_name: 'Test Clone', samples: [{ path: 'sample.wav', transcription: 'a tone' }] });
    assert.equal(cloned.result.isError, undefined, cloned.text);
    assert.ok(cloned.json.voice.id.length > 0);
    const listed = (await call(session.client, 'list_voices', { source: 'custom', limit: 1000 })).json;
    assert.ok(listed.voices.some((voice: { id: string }) => voice.id === cloned.json.voice.id));
  });

  test('invalid arguments are tool errors with one clear line, and the server answers the next call', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['speak', {}, /text/],
      ['speak', { text: '   ' }, /text is empty/],
      ['speak', { text: 'x', speaking_rate: 3 }, /speaking_rate/],
      ['speak', { text: 'x', format: 'm4a' }, /format/],
      ['speak', { text: 'x', voice_id: 'Ashley' }, /voice_id/],
      ['speak', { text: 'x', format: 'mp3', play: true }, /cannot play mp3/],
      ['speak', { text: 'x', format: 'mp3', bit_rate: 5 }, /bit rate/i],
      ['speak', { text: 'x', voice: 'NoSuchVoice' }, /NoSuchVoice|not found/i],
      ['transcribe', { path: 'missing.wav' }, /missing\.wav/],
      ['list_voices', { gender: 'robot' }, /gender/],
      ['no_such_tool', {}, /no_such_tool/],
    ];
    for (const [tool, args, message] of cases) {
      const { result, text } = await call(session.client, tool, args);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(args)}: ${text}`);
      assert.match(text, message);
      assert.ok(!text.includes(SECRET_KEY));
      assert.ok(!/\n\s+at /.test(text), 'no stack trace');
    }
    const next = await call(session.client, 'speak', { text: 'Still here.' });
    assert.equal(next.result.isError, undefined, next.text);
  });

  test('files never leave the output directory', async () => {
    const outside = tempDir('inworld-mcp-outside-');
    try {
      writeFileSync(join(outside.dir, 'secret.wav'), wavSample(1));
      symlinkSync(join(outside.dir, 'secret.wav'), join(session.outDir, 'link-in.wav'));
      symlinkSync(join(outside.dir, 'target.wav'), join(session.outDir, 'link-out.wav'));
      symlinkSync(outside.dir, join(session.outDir, 'dir-link'));
      for (const name of ['../escape.wav', '/tmp/escape.wav', 'sub/dir.wav', '.hidden.wav', '..', 'link-out.wav', 'dir-link/x.wav']) {
        const { result, text } = await call(session.client, 'speak', { text: 'No.', file_name: name });
        assert.equal(result.isError, true, `${name}: ${text}`);
      }
      assert.ok(!existsSync(join(outside.dir, 'target.wav')), 'written through a symbolic link');
      for (const path of ['../../../../etc/hostname', '/etc/hostname', join(outside.dir, 'secret.wav'), 'link-in.wav', 'dir-link/secret.wav']) {
        const { result, text } = await call(session.client, 'transcribe', { path });
        assert.equal(result.isError, true, `${path}: ${text}`);
        assert.match(text, /outside the directories|cannot read|no such/i);
      }
      const clone = await call(session.client, 'clone_voice', { display_name: 'Nope', samples: [{ path: join(outside.dir, 'secret.wav') }] });
      assert.equal(clone.result.isError, true);
      const exists = await call(session.client, 'speak', { text: 'Twice.', file_name: 'twice' });
      assert.equal(exists.result.isError, undefined, exists.text);
      const again = await call(session.client, 'speak', { text: 'Twice.', file_name: 'twice.wav' });
      assert.match(again.text, /already exists/);
      const replaced = await call(session.client, 'speak', { text: 'Twice.', file_name: 'twice.wav', overwrite: true });
      assert.equal(replaced.result.isError, undefined, replaced.text);
      assert.deepEqual(readdirSync(session.outDir).filter((name) => name.includes('.part')), []);
    } finally {
      outside.cleanup();
    }
  });

  test('get_usage counts calls, characters, audio seconds and requests per tool', async () => {
    const before = (await call(session.client, 'get_usage', { last: 0 })).json;
    const spoken = (await call(session.client, 'speak', { text: 'Counted once.' })).json;
    await call(session.client, 'speak', { text: '' });
    const { json } = await call(session.client, 'get_usage', { last: 2 });
    assert.equal(json.byTool.speak.calls, before.byTool.speak.calls + 2);
    assert.equal(json.byTool.speak.errors, before.byTool.speak.errors + 1);
    assert.equal(json.byTool.speak.characters, before.byTool.speak.characters + spoken.characters);
    assert.ok(Math.abs(json.byTool.speak.audioSeconds - before.byTool.speak.audioSeconds - spoken.durationSeconds) < 0.01);
    assert.equal(json.byTool.speak.requests, before.byTool.speak.requests + 1);
    assert.equal(json.byTool.get_usage.calls, (before.byTool.get_usage?.calls ?? 0) + 1);
    assert.deepEqual(json.recent.map((record: { tool: string; ok: boolean }) => [record.tool, record.ok]), [['speak', true], ['speak', false]]);
    assert.ok(json.totals.calls >= json.byTool.speak.calls);
  });
});

describe('speak with play', () => {
  test('plays the audio on the speakers as it writes the file', { skip: needs('aplay') }, async () => {
    const alsa = fakeAlsa('file');
    const played = await stdioSession({ env: { XDG_CONFIG_HOME: alsa.dir, ALSA_OUT: alsa.outPath } });
    try {
      const { result, json, text } = await call(played.client, 'speak', { text: 'Out loud.', play: true });
      assert.equal(result.isError, undefined, text);
      assert.equal(json.played, true);
      assert.ok(readFileSync(alsa.outPath).equals(checkWavFile(json.path).data!), 'the speakers got the same audio as the file');
    } finally {
      await played.close();
      alsa.cleanup();
    }
  });
});
