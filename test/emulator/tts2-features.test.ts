// The emulator's TTS-2 request features on HTTP and on the WebSocket, driven by raw requests:
// seed (same seed, same bytes; another seed, other bytes; none, as before), voiceDesign (only on
// inworld-tts-2, 7..1024 characters, never with voiceId, a voice of its own), markup (20 breaks of
// at most 10 s per request, spoken as silence; <phoneme> refused) and the known models.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { audioOf, post, readJson, rms, samplesOf, start, streamLines, ttsBody } from './http-support.js';
import { RawTtsClient, baseCreate, hasEvent } from './tts-ws-helpers.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await start();
});
after(async () => {
  await emulator.close();
});

const TEXT = 'The quick brown fox jumps over the lazy dog.';
const DESIGN = { designPrompt: 'A calm older man with a low, warm voice' };

async function audio(overrides: Record<string, unknown>, path = '/tts/v1/voice'): Promise<Buffer> {
  const response = await post(emulator, path, ttsBody({ text: TEXT, modelId: 'inworld-tts-2', ...overrides }));
  assert.equal(response.status, 200, await response.clone().text());
  if (path === '/tts/v1/voice') return Buffer.from((await readJson(response)).audioContent, 'base64');
  return Buffer.concat(audioOf(await streamLines(response)));
}

async function refusal(overrides: Record<string, unknown>, pattern: RegExp, path = '/tts/v1/voice'): Promise<void> {
  const response = await post(emulator, path, ttsBody({ modelId: 'inworld-tts-2', ...overrides }));
  const body = await readJson(response);
  assert.equal(response.status, 400, JSON.stringify(body));
  assert.equal(body.code, 3);
  assert.match(body.message, pattern);
}

describe('seed over HTTP', () => {
  test('the same seed gives byte-identical audio; another seed other bytes; no seed as before', async () => {
    const seven = await audio({ seed: 7 });
    assert.ok(seven.equals(await audio({ seed: 7 })), 'same seed, same bytes');
    assert.ok(seven.equals(await audio({ seed: 7 }, '/tts/v1/voice:stream')), 'the streaming endpoint renders the same take');
    const eight = await audio({ seed: 8 });
    assert.equal(eight.length, seven.length, 'a take changes the voice, not the words');
    assert.ok(!seven.equals(eight), 'another seed, other bytes');
    const unseeded = await audio({});
    assert.ok(unseeded.equals(await audio({})), 'no seed: deterministic, as the emulator always was');
    assert.ok(!unseeded.equals(seven));
    assert.ok(seven.equals(await audio({ seed: '7' })), 'protobuf-JSON reads a numeric string');
  });

  test('a seed that is not a 32-bit integer is INVALID_ARGUMENT', async () => {
    await refusal({ seed: 1.5 }, /seed/);
    await refusal({ seed: 2 ** 31 }, /seed/);
    await refusal({ seed: true }, /seed/);
  });
});

describe('voiceDesign over HTTP', () => {
  test('an ad-hoc voice instead of voiceId: its own voice, the same for the same description', async () => {
    const designed = await audio({ voiceId: undefined, voiceDesign: DESIGN });
    assert.ok(designed.equals(await audio({ voiceId: undefined, voiceDesign: DESIGN })), 'deterministic');
    assert.ok(designed.equals(await audio({ voiceId: undefined, voice_design: { design_prompt: DESIGN.designPrompt } })), 'snake_case too');
    assert.ok(!designed.equals(await audio({})), 'not the Ashley voice');
    const other = await audio({ voiceId: undefined, voiceDesign: { designPrompt: 'A bright young woman, quick and cheerful' } });
    assert.ok(!designed.equals(other), 'another description, another voice');
  });

  test('refused like the service: other models, with voiceId, too short or too long, neither voice given', async () => {
    await refusal({ voiceId: undefined, voiceDesign: DESIGN, modelId: 'inworld-tts-2-flash' }, /voice_design is not supported by model "inworld-tts-2-flash"/);
    await refusal({ voiceId: undefined, voiceDesign: DESIGN, modelId: 'inworld-tts-1.5-max' }, /not supported/);
    await refusal({ voiceDesign: DESIGN }, /voice_id and voice_design are mutually exclusive/);
    await refusal({ voiceId: undefined, voiceDesign: { designPrompt: 'Deep' } }, /between 7 and 1024 characters, got 4/);
    await refusal({ voiceId: undefined, voiceDesign: { designPrompt: 'x'.repeat(1025) } }, /got 1025/);
    await refusal({ voiceId: undefined, voiceDesign: 'a low voice' }, /voice_design/);
    await refusal({ voiceId: undefined }, /voice_id is required/);
    assert.equal((await post(emulator, '/tts/v1/voice', ttsBody({ text: TEXT, modelId: 'inworld-tts-2', voiceId: undefined, voiceDesign: { designPrompt: 'x'.repeat(7) } }))).status, 200);
  });
});

describe('markup over HTTP', () => {
  const breaks = (n: number, time = '1s') => Array.from({ length: n }, (_, i) => `Word ${i}. <break time="${time}"/>`).join(' ');

  test('at most 20 breaks of at most 10 s, any case; <phoneme> refused with the inline form', async () => {
    assert.equal((await post(emulator, '/tts/v1/voice', ttsBody({ text: breaks(20, '10ms') }))).status, 200);
    await refusal({ text: breaks(21, '10ms') }, /Too many break tags: 21; at most 20/);
    await refusal({ text: 'Wait <BREAK TIME="11s"/> now.' }, /Break time "11s" exceeds the maximum of 10s/);
    await refusal({ text: 'Wait <break time="10001ms"/> now.' }, /exceeds/, '/tts/v1/voice:stream');
    await refusal({ text: 'Wait <break time="later"/> now.' }, /Invalid break time "later"/);
    await refusal({ text: 'Visit <phoneme alphabet="ipa" ph="kriːt">Crete</phoneme>.' }, /SSML <phoneme> tags are not supported; write the pronunciation inline in IPA between slashes/);
    await refusal({ text: 'Visit <PHONEME ph="kriːt">Crete</PHONEME>.' }, /phoneme/);
  });

  test('a break is silence of its length, not words', async () => {
    const pcm = { audioEncoding: 'PCM', sampleRateHertz: 16000 };
    const plain = await audio({ text: 'Wait. Now.', audioConfig: pcm });
    const response = await post(emulator, '/tts/v1/voice', ttsBody({ text: 'Wait. <break time="2s"/> Now.', audioConfig: pcm, timestampType: 'WORD' }));
    const json = await readJson(response);
    const paused = Buffer.from(json.audioContent, 'base64');
    assert.equal(paused.length - plain.length, 2 * 16000 * 2, 'two seconds more, exactly');
    const words = json.timestampInfo.wordAlignment;
    assert.deepEqual(words.words, ['Wait.', 'Now.'], 'the tag is not a word');
    const gap = words.wordStartTimeSeconds[1] - words.wordEndTimeSeconds[0];
    assert.ok(gap >= 2 && gap < 2.5, `the pause after "Wait." holds the break (${gap} s)`);
    const samples = samplesOf(paused);
    assert.equal(rms(samples, words.wordEndTimeSeconds[0] * 16000, words.wordStartTimeSeconds[1] * 16000), 0, 'and is silent');
    assert.ok(rms(samples, words.wordStartTimeSeconds[1] * 16000, words.wordEndTimeSeconds[1] * 16000) > 100, 'the next word is heard');
  });
});

test('the current models are known; an unknown one is 400 code 3', async () => {
  for (const modelId of ['inworld-tts-2', 'inworld-tts-2-flash', 'inworld-tts-1.5-max', 'inworld-tts-1.5-mini']) {
    assert.equal((await post(emulator, '/tts/v1/voice', ttsBody({ modelId }))).status, 200, modelId);
  }
  await refusal({ modelId: 'inworld-tts-3' }, /Invalid model_id "inworld-tts-3"/);
});

describe('the same features on the WebSocket', () => {
  async function speak(create: Record<string, unknown>, text = TEXT): Promise<{ audio: Buffer; created: Record<string, unknown> }> {
    const c = await RawTtsClient.connect(emulator);
    try {
      c.send({ contextId: 'x', create: { ...baseCreate, modelId: 'inworld-tts-2', ...create } });
      c.send({ contextId: 'x', send_text: { text, flush_context: {} } });
      c.send({ contextId: 'x', close_context: {} });
      await c.until(() => hasEvent(c, 'x', 'contextClosed'), 'contextClosed');
      const frames = c.forContext('x');
      const audio = Buffer.concat(frames.filter((f) => f.audioChunk?.audioContent).map((f) => Buffer.from(f.audioChunk.audioContent, 'base64')));
      return { audio, created: frames[0]!.contextCreated };
    } finally {
      c.close();
    }
  }

  async function statusError(create: Record<string, unknown>, text = TEXT): Promise<{ code: number; message: string }> {
    const c = await RawTtsClient.connect(emulator);
    try {
      c.send({ contextId: 'x', create: { ...baseCreate, modelId: 'inworld-tts-2', ...create } });
      c.send({ contextId: 'x', send_text: { text, flush_context: {} } });
      await c.until(() => c.forContext('x').some((f) => f.status?.code > 0), 'a status error');
      return c.forContext('x').find((f) => f.status?.code > 0)!.status;
    } finally {
      c.close();
    }
  }

  test('seed: same seed same bytes, another seed other bytes, echoed in contextCreated', async () => {
    const first = await speak({ seed: 11 });
    assert.equal(first.created.seed, 11);
    assert.ok(first.audio.equals((await speak({ seed: 11 })).audio));
    assert.ok(!first.audio.equals((await speak({ seed: 12 })).audio));
    assert.ok(!first.audio.equals((await speak({})).audio));
    const http = await audio({ seed: 11, audioConfig: baseCreate.audioConfig });
    assert.ok(first.audio.equals(http), 'one take of a text is the same on both transports');
  });

  test('voiceDesign: its own voice, echoed; refused with voiceId, on flash, or too short', async () => {
    const designed = await speak({ voiceId: undefined, voiceDesign: DESIGN });
    assert.deepEqual(designed.created.voiceDesign, DESIGN);
    assert.equal('voiceId' in designed.created, false);
    assert.ok(!designed.audio.equals((await speak({})).audio));
    assert.match((await statusError({ voiceDesign: DESIGN })).message, /mutually exclusive/);
    assert.match((await statusError({ voiceId: undefined, voiceDesign: DESIGN, modelId: 'inworld-tts-2-flash' })).message, /not supported by model/);
    const short = await statusError({ voiceId: undefined, voiceDesign: { designPrompt: 'Low' } });
    assert.equal(short.code, 3);
    assert.match(short.message, /between 7 and 1024/);
  });

  test('markup is checked per generation: 21 breaks or <phoneme> end the context with code 3', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `Word ${i} <break time="10ms"/>`).join(' ');
    const error = await statusError({}, many);
    assert.equal(error.code, 3);
    assert.match(error.message, /Too many break tags: 21/);
    assert.match((await statusError({}, 'Say <phoneme ph="təˈmɑːtoʊ">tomato</phoneme>.')).message, /<phoneme> tags are not supported/);
    const fine = await speak({}, 'Wait. <break time="1s"/> Now.');
    assert.ok(fine.audio.length > 16000 * 2, 'a break of one second is at least one second of audio');
  });

  test('an unknown model is refused at create with code 3', async () => {
    const error = await statusError({ modelId: 'inworld-tts-3' });
    assert.equal(error.code, 3);
    assert.match(error.message, /Invalid model_id "inworld-tts-3"/);
  });
});
