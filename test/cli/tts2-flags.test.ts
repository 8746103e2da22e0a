// The TTS-2 flags and checks of `say`, `stream` and `say --batch`, end to end: the built CLI against
// the emulator. What each flag puts on the wire (--seed, --voice-design, the default model), what the
// audio shows (same seed, same bytes; a designed voice, another voice), the warnings on stderr, and
// the refusals: exit 2, one line, nothing sent.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { cleanEnv, runCli, type CliResult } from '../helpers/cli.js';

const KEY = 'dHRzMi10ZXN0OnNlY3JldA==';
const WS_PATH = '/tts/v1/voice:streamBidirectional';
const DESIGN = 'A calm older man with a low, warm voice';
let emulator: RunningEmulator;
let dir: string;

function env(extra: Record<string, string | undefined> = {}) {
  return cleanEnv({ INWORLD_API_KEY: KEY, INWORLD_BASE_URL: emulator.url, INWORLD_WS_URL: emulator.wsUrl, NO_COLOR: '1', ...extra });
}

const say = (args: string[], extra?: Record<string, string>) => runCli(['say', ...args], { env: env(extra) });
const stream = (args: string[], input: string) => runCli(['stream', ...args], { env: env(), input });
const httpBodies = () => emulator.requests.find('/tts/v1/voice:stream').map((r) => r.body as Record<string, any>);
const wsMessages = () => emulator.requests.find(WS_PATH).flatMap((r) => (r.messages ?? []) as Array<Record<string, any>>);
const creates = () => wsMessages().filter((m) => m.create).map((m) => m.create as Record<string, any>);
const out = (name: string) => join(dir, name);

/** Exit 2, one line on stderr naming the problem, nothing sent. */
async function refusedBeforeSending(run: () => Promise<CliResult>, pattern: RegExp): Promise<void> {
  emulator.requests.clear();
  const result = await run();
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, pattern);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.equal(emulator.requests.find('/tts/v1/voice:stream').length + emulator.requests.find(WS_PATH).length, 0, 'no request');
  assert.ok(!existsSync(out('x.wav')), 'no output file');
}

before(async () => {
  emulator = await startEmulator({ port: 0, engine: 'synthetic', quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'inworld-tts2-'));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.requests.clear());

describe('say', () => {
  test('the default model is inworld-tts-2, the default voice still Ashley', async () => {
    const result = await say(['Hello.', '-o', out('default.wav')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(httpBodies()[0]!.modelId, 'inworld-tts-2');
    assert.equal(httpBodies()[0]!.voiceId, 'Ashley');
    assert.doesNotMatch(result.stderr, /warning/);
  });

  test('--seed: sent as given; the same seed writes the same file, another seed another', async () => {
    for (const [name, seed] of [['a', '42'], ['b', '42'], ['c', '43']]) {
      const result = await say(['A seed makes one take repeatable.', '-o', out(`seed-${name}.wav`), '--seed', seed!]);
      assert.equal(result.code, 0, result.stderr);
    }
    assert.deepEqual(httpBodies().map((body) => body.seed), [42, 42, 43]);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => readFileSync(out(`seed-${name}.wav`)));
    assert.ok(a!.equals(b!), 'same seed, same bytes');
    assert.ok(!a!.equals(c!), 'another seed, other bytes');
    await refusedBeforeSending(() => say(['Hi.', '-o', out('x.wav'), '--seed', '1.5']), /--seed takes a whole number from -2147483648 to 2147483647, not "1\.5"/);
  });

  test('--voice-design: sent instead of voiceId; a voice of its own', async () => {
    const designed = await say(['The same words.', '-o', out('designed.wav'), '--voice-design', DESIGN]);
    assert.equal(designed.code, 0, designed.stderr);
    const body = httpBodies()[0]!;
    assert.deepEqual(body.voiceDesign, { designPrompt: DESIGN });
    assert.equal('voiceId' in body, false);
    assert.equal((await say(['The same words.', '-o', out('ashley.wav')])).code, 0);
    assert.ok(!readFileSync(out('designed.wav')).equals(readFileSync(out('ashley.wav'))), 'not the Ashley voice');
    // A voice in the config file is a default, not a conflict.
    const configHome = mkdtempSync(join(dir, 'config-'));
    mkdirSync(join(configHome, 'inworld'));
    writeFileSync(join(configHome, 'inworld', 'config.json'), JSON.stringify({ voice: 'Dennis' }));
    emulator.requests.clear();
    const configured = await say(['Hi.', '-o', out('configured.wav'), '--voice-design', DESIGN], { XDG_CONFIG_HOME: configHome });
    assert.equal(configured.code, 0, configured.stderr);
    assert.deepEqual(httpBodies()[0]!.voiceDesign, { designPrompt: DESIGN });
    assert.equal('voiceId' in httpBodies()[0]!, false);
  });

  test('--voice-design refusals: with --voice, with a model that cannot use it, too short', async () => {
    await refusedBeforeSending(() => say(['Hi.', '-o', out('x.wav'), '--voice-design', DESIGN, '--voice', 'Dennis']), /--voice-design and --voice both choose the voice/);
    await refusedBeforeSending(() => say(['Hi.', '-o', out('x.wav'), '--voice-design', DESIGN, '--model', 'inworld-tts-2-flash']),
      /voice design works only with inworld-tts-2, not inworld-tts-2-flash; use --model inworld-tts-2/,
    );
    await refusedBeforeSending(() => say(['Hi.', '-o', out('x.wav'), '--voice-design', 'Low']), /7 to 1024 characters \(got 3\); fix --voice-design/);
  });

  test('warnings on stderr, the request still sent: ignored temperature, legacy model, unknown model', async () => {
    const warm = await say(['Hi.', '-o', out('t.wav'), '--temperature', '0.7']);
    assert.equal(warm.code, 0, warm.stderr);
    assert.match(warm.stderr, /^inworld: warning: inworld-tts-2 ignores temperature; drop --temperature/m);
    assert.equal(httpBodies()[0]!.temperature, 0.7);
    const quiet = await say(['Hi.', '-o', out('t.wav'), '--temperature', '0.7', '--quiet']);
    assert.equal(quiet.stderr, '', '--quiet silences warnings');
    const legacy = await say(['Hi.', '-o', out('l.wav'), '--model', 'inworld-tts-1-max']);
    assert.equal(legacy.code, 0, legacy.stderr);
    assert.match(legacy.stderr, /warning: inworld-tts-1-max is a legacy model, reported discontinued; use inworld-tts-2/);
    const unknown = await say(['Hi.', '-o', out('u.wav'), '--model', 'inworld-tts-3']);
    assert.match(unknown.stderr, /warning: Model inworld-tts-3 is not one this version knows .*sending it as given/);
    assert.equal(httpBodies().at(-1)!.modelId, 'inworld-tts-3', 'sent as given');
    assert.equal(unknown.code, 1, 'and the server refused it');
    assert.match(unknown.stderr, /HTTP 400/);
    const older = await say(['Hi.', '-o', out('o.wav'), '--model', 'inworld-tts-1.5-mini', '--temperature', '0.7']);
    assert.equal(older.code, 0);
    assert.doesNotMatch(older.stderr, /warning/);
  });

  test('--delivery-mode: refused on 1.5 models; expressive goes out as CREATIVE', async () => {
    await refusedBeforeSending(() => say(['Hi.', '-o', out('x.wav'), '--delivery-mode', 'stable', '--model', 'inworld-tts-1.5-max']),
      /Delivery mode works only with inworld-tts-2, inworld-tts-2-flash, not inworld-tts-1\.5-max/,
    );
    const old = await say(['Hi.', '-o', out('d.wav'), '--delivery-mode', 'expressive']);
    assert.equal(old.code, 0, old.stderr);
    assert.equal(httpBodies()[0]!.deliveryMode, 'CREATIVE');
    assert.match(old.stderr, /warning: Delivery mode EXPRESSIVE is the old name of CREATIVE/);
  });

  test('markup: <phoneme> and too many or too long breaks are refused before sending', async () => {
    await refusedBeforeSending(() => say(['Visit <phoneme alphabet="ipa" ph="kriːt">Crete</phoneme>.', '-o', out('x.wav')]),
      /SSML <phoneme>, which Inworld does not support; write the IPA inline between slashes instead: \/kriːt\//,
    );
    const many = Array.from({ length: 21 }, (_, i) => `Step ${i}. <break time="10ms"/>`).join(' ');
    await refusedBeforeSending(() => say([many, '-o', out('x.wav')]), /The text has 21 <break> tags; one request takes at most 20/);
    await refusedBeforeSending(() => say(['Wait <break time="12s"/> now.', '-o', out('x.wav')]), /a 12 s pause; a break may be at most 10 s/);
    const fine = await say(['Wait. <break time="1s"/> Now.', '-o', out('pause.wav')]);
    assert.equal(fine.code, 0, fine.stderr);
  });
});

describe('stream', () => {
  test('--seed and --voice-design go into create', async () => {
    const result = await stream(['-o', out('s.wav'), '--seed', '7', '--voice-design', DESIGN], 'One sentence. And another.\n');
    assert.equal(result.code, 0, result.stderr);
    const [create] = creates();
    assert.equal(create!.seed, 7);
    assert.deepEqual(create!.voiceDesign, { designPrompt: DESIGN });
    assert.equal('voiceId' in create!, false);
    assert.equal(create!.modelId, 'inworld-tts-2');
  });

  test('the same refusals before connecting, and the same warnings', async () => {
    await refusedBeforeSending(() => stream(['-o', out('x.wav'), '--voice-design', DESIGN, '--voice', 'Dennis'], 'Hi.\n'), /--voice-design and --voice/);
    await refusedBeforeSending(() => stream(['-o', out('x.wav'), '--voice-design', DESIGN, '--model', 'inworld-tts-1.5-max'], 'Hi.\n'), /not inworld-tts-1\.5-max/);
    const warm = await stream(['-o', out('w.wav'), '--temperature', '1.2', '--model', 'inworld-tts-2-flash'], 'Hi.\n');
    assert.equal(warm.code, 0, warm.stderr);
    assert.match(warm.stderr, /warning: inworld-tts-2-flash ignores temperature/);
    const json = await stream(['-o', out('j.wav'), '--model', 'inworld-tts-1', '--json'], 'Hi.\n');
    const events = json.stderr.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(events[0].type, 'warning');
    assert.equal(events[0].code, 'model-deprecated');
  });

  test('markup is checked per sentence as it arrives: a bad one ends the stream, what came before is kept', async () => {
    const input = 'This first sentence is fine. Then <phoneme ph="x">this</phoneme> one is not. This one is never sent.\n';
    const result = await stream(['-o', out('cut.wav')], input);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Sentence 2 uses SSML <phoneme>/);
    const sent = wsMessages().filter((m) => m.send_text?.text).map((m) => m.send_text.text.trim());
    assert.deepEqual(sent, ['This first sentence is fine.']);
    const wav = readFileSync(out('cut.wav'));
    assert.equal(wav.readUInt32LE(40), wav.length - 44, 'a valid WAV file of the first sentence');
    assert.ok(wav.length > 44 + 24000, 'with its audio');
  });
});

describe('say --batch', () => {
  test('per-line seed and voiceDesign; a line voice replaces a --voice-design default', async () => {
    const file = join(dir, 'lines.jsonl');
    writeFileSync(
      file,
      [
        'A plain line.',
        JSON.stringify({ text: 'A designed line.', voiceDesign: 'A bright young woman, quick and cheerful', seed: 4 }),
        JSON.stringify({ text: 'A saved voice.', voice: 'Dennis' }),
      ].join('\n'),
    );
    const outDir = join(dir, 'batch-out');
    const result = await say(['--batch', file, '--out-dir', outDir, '--voice-design', DESIGN, '--seed', '1']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readdirSync(outDir).length, 3);
    const byText = new Map<string, Record<string, any>>();
    for (const record of emulator.requests.find(WS_PATH)) {
      const messages = (record.messages ?? []) as Array<Record<string, any>>;
      for (let i = 0; i < messages.length; i++) {
        const create = messages[i]!.create;
        if (!create) continue;
        const text = messages.slice(i).find((m) => m.contextId === messages[i]!.contextId && m.send_text)?.send_text.text;
        byText.set(text, create);
      }
    }
    assert.deepEqual(byText.get('A plain line.')!.voiceDesign, { designPrompt: DESIGN });
    assert.equal(byText.get('A plain line.')!.seed, 1);
    assert.deepEqual(byText.get('A designed line.')!.voiceDesign, { designPrompt: 'A bright young woman, quick and cheerful' });
    assert.equal(byText.get('A designed line.')!.seed, 4);
    assert.equal(byText.get('A saved voice.')!.voiceId, 'Dennis');
    assert.equal('voiceDesign' in byText.get('A saved voice.')!, false);
  });

  test('a bad line is refused before any request: both voices, a design the model cannot use, bad markup', async () => {
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify({ text: 'x', voice: 'Dennis', voiceDesign: DESIGN }), /line 1, column \d+: a line takes "voice" or "voiceDesign", not both/],
      [JSON.stringify({ text: 'x', voiceDesign: DESIGN, model: 'inworld-tts-2-flash' }), /line 1, column \d+: "model": An ad-hoc voice design works only with inworld-tts-2/],
      [JSON.stringify({ text: 'x', seed: 'soon' }), /"seed" must be a whole number/],
      ['A pause <break time="30s"/> too long.', /line 1: its text has <break time="30s"\/>, a 30 s pause/],
    ];
    for (const [line, pattern] of cases) {
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, `${line}\n`);
      await refusedBeforeSending(() => say(['--batch', file, '--out-dir', join(dir, 'bad-out')]), pattern);
    }
  });

  test('a warning is said once for the whole batch', async () => {
    const file = join(dir, 'warm.jsonl');
    writeFileSync(file, ['One.', 'Two.', JSON.stringify({ text: 'Three.', temperature: 0.4 })].join('\n'));
    const result = await say(['--batch', file, '--out-dir', join(dir, 'warm-out'), '--temperature', '0.5']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.match(/ignores temperature/g)?.length, 1, result.stderr);
  });
});
