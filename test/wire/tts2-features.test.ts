// The TTS-2 request features through the public client against the emulator on a real socket:
// what goes on the wire (seed, voiceDesign, the default model, EXPRESSIVE sent as CREATIVE), what
// comes back (same seed, same bytes; a designed voice, another voice), the warnings heard through
// onWarning, and the checks that stop a request before it is sent.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { BadRequestError, Inworld, ValidationError, type SynthesisOptions, type SynthesisWarning } from '../../src/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { checkMarkup } from '../../src/tts/markup.js';
import { TEST_API_KEY, TTS_WS_PATH, startTtsEmulator } from '../emulator/tts-ws-helpers.js';

let emulator: RunningEmulator;
let inworld: Inworld;
before(async () => {
  emulator = await startTtsEmulator();
  inworld = new Inworld({ apiKey: TEST_API_KEY, baseUrl: emulator.url, wsUrl: emulator.wsUrl, env: {}, configPath: null, maxRetries: 0 });
});
after(async () => {
  await inworld.close();
  await emulator.close();
});
beforeEach(async () => {
  // A fresh pool per test, so each test's WebSocket frames are on a connection recorded after the clear.
  await inworld.close();
  emulator.requests.clear();
});

const TEXT = 'A seed makes one take repeatable.';
const PCM = { audioEncoding: 'PCM' as const, sampleRateHertz: 16000 };
const DESIGN = { designPrompt: 'A calm older man with a low, warm voice' };

async function httpAudio(options: Omit<SynthesisOptions, 'text'>, onWarning?: (w: SynthesisWarning) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of inworld.tts.synthesize({ text: TEXT, audioConfig: PCM, ...options }, { onWarning })) if (chunk.audio) chunks.push(chunk.audio);
  return Buffer.concat(chunks);
}

async function wsAudio(options: Omit<SynthesisOptions, 'text'>, onWarning?: (w: SynthesisWarning) => void): Promise<Buffer> {
  const stream = inworld.tts.stream({ audioConfig: PCM, ...options }, { onWarning });
  stream.sendText(TEXT, { flush: true });
  stream.end();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) if (chunk.type === 'audio') chunks.push(chunk.audio);
  return Buffer.concat(chunks);
}

function httpBodies(): Array<Record<string, any>> {
  return emulator.requests.find('/tts/v1/voice:stream').map((r) => r.body as Record<string, any>);
}

function creates(): Array<Record<string, any>> {
  return emulator.requests
    .find(TTS_WS_PATH)
    .flatMap((r) => (r.messages ?? []) as Array<Record<string, any>>)
    .filter((m) => m.create)
    .map((m) => m.create);
}

describe('seed', () => {
  test('HTTP: sent as given; the same seed gives the same bytes, another seed other bytes', async () => {
    const a = await httpAudio({ seed: 42 });
    const b = await httpAudio({ seed: 42 });
    const c = await httpAudio({ seed: 43 });
    assert.deepEqual(httpBodies().map((body) => body.seed), [42, 42, 43]);
    assert.equal(httpBodies()[0]!.modelId, 'inworld-tts-2', 'the default model');
    assert.ok(a.length > 0 && a.equals(b));
    assert.ok(!a.equals(c));
  });

  test('WebSocket: in create; the same take as over HTTP', async () => {
    const ws = await wsAudio({ seed: 42 });
    assert.equal(creates().at(-1)!.seed, 42);
    assert.ok(ws.equals(await httpAudio({ seed: 42 })));
    assert.ok(!ws.equals(await wsAudio({ seed: 7 })));
  });

  test('a seed that is not a 32-bit whole number is refused before sending', async () => {
    await assert.rejects(httpAudio({ seed: 0.5 }), ValidationError);
    assert.throws(() => inworld.tts.stream({ seed: 2 ** 40 }), ValidationError);
    assert.equal(emulator.requests.find('/tts/v1/voice:stream').length, 0);
  });
});

describe('voiceDesign', () => {
  test('sent instead of voiceId on HTTP and in create; the voice is not the default one', async () => {
    const designed = await httpAudio({ voiceDesign: DESIGN });
    const body = httpBodies()[0]!;
    assert.deepEqual(body.voiceDesign, DESIGN);
    assert.equal('voiceId' in body, false);
    assert.ok(!designed.equals(await httpAudio({})), 'another voice than Ashley');
    const ws = await wsAudio({ voiceDesign: DESIGN });
    assert.deepEqual(creates().at(-1)!.voiceDesign, DESIGN);
    assert.equal('voiceId' in creates().at(-1)!, false);
    assert.ok(ws.equals(designed), 'the same designed voice on both transports');
  });

  test('refused before sending with flash, with a voice id, or with a short description', async () => {
    await assert.rejects(httpAudio({ voiceDesign: DESIGN, modelId: 'inworld-tts-2-flash' }), /voice design works only with inworld-tts-2, not inworld-tts-2-flash/);
    await assert.rejects(httpAudio({ voiceDesign: DESIGN, voiceId: 'Dennis' }), /not both/);
    assert.throws(() => inworld.tts.stream({ voiceDesign: { designPrompt: 'Low' } }), /7 to 1024 characters/);
    assert.equal(emulator.requests.find('/tts/v1/voice:stream').length + emulator.requests.find(TTS_WS_PATH).length, 0, 'nothing sent');
  });

  test('an unknown model is sent as given (with a warning), and the server judges it', async () => {
    const heard: SynthesisWarning[] = [];
    await assert.rejects(httpAudio({ voiceDesign: DESIGN, modelId: 'inworld-tts-3' }, (w) => heard.push(w)), BadRequestError);
    assert.deepEqual(heard.map((w) => w.code), ['model-unknown']);
    assert.equal(httpBodies()[0]!.modelId, 'inworld-tts-3');
  });
});

describe('model-aware checks and warnings', () => {
  test('temperature on TTS-2 is sent but warned about; on 1.5 it is not', async () => {
    const heard: SynthesisWarning[] = [];
    await httpAudio({ temperature: 0.6 }, (w) => heard.push(w));
    await wsAudio({ temperature: 0.6, modelId: 'inworld-tts-2-flash' }, (w) => heard.push(w));
    await httpAudio({ temperature: 0.6, modelId: 'inworld-tts-1.5-max' }, (w) => heard.push(w));
    assert.deepEqual(heard.map((w) => [w.code, w.modelId]), [['temperature-ignored', 'inworld-tts-2'], ['temperature-ignored', 'inworld-tts-2-flash']]);
    assert.equal(httpBodies()[0]!.temperature, 0.6);
  });

  test('legacy models draw a deprecation warning and are still sent', async () => {
    const heard: SynthesisWarning[] = [];
    await httpAudio({ modelId: 'inworld-tts-1' }, (w) => heard.push(w));
    assert.deepEqual(heard.map((w) => w.code), ['model-deprecated']);
    assert.equal(httpBodies()[0]!.modelId, 'inworld-tts-1');
  });

  test('delivery mode: refused on 1.5 before sending; EXPRESSIVE goes out as CREATIVE', async () => {
    await assert.rejects(httpAudio({ deliveryMode: 'STABLE', modelId: 'inworld-tts-1.5-mini' }), /Delivery mode works only with inworld-tts-2, inworld-tts-2-flash/);
    assert.equal(httpBodies().length, 0);
    const heard: SynthesisWarning[] = [];
    await wsAudio({ deliveryMode: 'EXPRESSIVE' }, (w) => heard.push(w));
    assert.equal(creates().at(-1)!.deliveryMode, 'CREATIVE');
    assert.deepEqual(heard.map((w) => w.code), ['delivery-mode-renamed']);
  });
});

describe('markup', () => {
  const breaks = (n: number) => Array.from({ length: n }, (_, i) => `Step ${i}. <break time="10ms"/>`).join(' ');

  test('HTTP: over 20 breaks in one request is refused before sending; 20 pass', async () => {
    await assert.rejects(inworld.tts.generate({ text: breaks(21), audioConfig: PCM }), /21 <break> tags; one request takes at most 20/);
    assert.equal(emulator.requests.find('/tts/v1/voice').length, 0);
    const result = await inworld.tts.generate({ text: breaks(20), audioConfig: PCM });
    assert.ok(result.audio.length > 0);
  });

  test('HTTP: long text is counted per request part, as sent', async () => {
    // 60 breaks in 6000 characters: requests of at most 2000 characters hold at most 20 each.
    const item = (i: number) => `Step ${String(i).padStart(2, '0')} goes on a while, so that each one of these lines is plenty long enough. <break time="10ms"/>`;
    assert.equal(item(1).length, 100);
    const text = Array.from({ length: 60 }, (_, i) => item(i)).join(' ');
    assert.throws(() => checkMarkup(text), /60 <break> tags/, 'the whole text would be refused');
    const result = await inworld.tts.generate({ text, audioConfig: PCM });
    assert.ok(result.parts >= 3, `${result.parts} parts`);
    const sent = emulator.requests.find('/tts/v1/voice').map((r) => ((r.body as any).text.match(/<break/g) ?? []).length);
    assert.deepEqual(sent.reduce((a, b) => a + b, 0), 60);
    assert.ok(sent.every((n) => n <= 20), String(sent));
  });

  test('WebSocket: each sendText is checked before it goes out; <phoneme> names the inline fix', async () => {
    const stream = inworld.tts.stream({ audioConfig: PCM });
    assert.throws(() => stream.sendText('Visit <phoneme ph="kriːt">Crete</phoneme>.'), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.message, /write the IPA inline between slashes instead: \/kriːt\//);
      return true;
    });
    assert.throws(() => stream.sendText('Wait <break time="20s"/> here.'), /at most 10 s/);
    stream.sendText('Wait <break time="1s"/> here.', { flush: true });
    stream.end();
    for await (const _chunk of stream); // the stream goes on after a refused call
    const texts = emulator.requests
      .find(TTS_WS_PATH)
      .flatMap((r) => (r.messages ?? []) as Array<Record<string, any>>)
      .filter((m) => m.send_text)
      .map((m) => m.send_text.text);
    assert.deepEqual(texts, ['Wait <break time="1s"/> here.']);
  });
});
