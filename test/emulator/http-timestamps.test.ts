// Word and character timestamps (protocol §2.4, §2.6): real positions in the audio, SYNC on the
// audio chunks versus ASYNC trailing lines, and speakingRate scaling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { audioOf, post, rms, samplesOf, start, streamLines, ttsBody, readJson } from './http-support.js';

const RATE = 16000;
const TEXT = 'Good morning, Dr. Smith! Shall we begin?  Yes.';
let emulator: RunningEmulator;
before(async () => {
  emulator = await start({ streamChunkMs: 100 });
});
after(() => emulator.close());

async function unary(extra: Record<string, unknown>, audio: Record<string, unknown> = {}): Promise<any> {
  const response = await post(emulator, '/tts/v1/voice', ttsBody({ text: TEXT, ...extra }, { audioEncoding: 'PCM', sampleRateHertz: RATE, ...audio }));
  assert.equal(response.status, 200);
  return readJson(response);
}

test('WORD: words keep their punctuation, in text order, with increasing non-overlapping times', async () => {
  const json = await unary({ timestampType: 'WORD' });
  const alignment = json.timestampInfo.wordAlignment;
  assert.deepEqual(alignment.words, TEXT.split(/\s+/));
  const duration = Buffer.from(json.audioContent, 'base64').length / 2 / RATE;
  for (let i = 0; i < alignment.words.length; i++) {
    const start = alignment.wordStartTimeSeconds[i];
    const end = alignment.wordEndTimeSeconds[i];
    assert.ok(start < end, `word ${i}`);
    assert.ok(end <= duration + 1e-6);
    if (i > 0) assert.ok(start >= alignment.wordEndTimeSeconds[i - 1]);
  }
  // Longer pauses after sentence punctuation than between plain words.
  const gap = (i: number): number => alignment.wordStartTimeSeconds[i + 1] - alignment.wordEndTimeSeconds[i];
  assert.ok(gap(3) > gap(4), 'pause after "Smith!" should exceed the pause after "Shall"');
});

test('word timestamps are real: the audio is loud inside words and silent between them', async () => {
  const json = await unary({ timestampType: 'WORD' });
  const samples = samplesOf(Buffer.from(json.audioContent, 'base64'));
  const { wordStartTimeSeconds: starts, wordEndTimeSeconds: ends } = json.timestampInfo.wordAlignment;
  for (let i = 0; i < starts.length; i++) {
    const inside = rms(samples, starts[i] * RATE, ends[i] * RATE);
    assert.ok(inside > 1000, `word ${i} is quiet (${inside})`);
    if (i + 1 < starts.length) {
      const between = rms(samples, ends[i] * RATE + 1, starts[i + 1] * RATE - 1);
      assert.ok(between < 1, `gap after word ${i} is not silent (${between})`);
    }
  }
  assert.ok(rms(samples, 0, starts[0] * RATE - 1) < 1, 'leading silence');
});

test('CHARACTER: every character of the text once, in order, covering the words', async () => {
  const json = await unary({ timestampType: 'CHARACTER' });
  assert.equal(json.timestampInfo.wordAlignment, undefined);
  const alignment = json.timestampInfo.characterAlignment;
  assert.equal(alignment.characters.join(''), TEXT);
  const words = (await unary({ timestampType: 'WORD' })).timestampInfo.wordAlignment;
  // The first character of each word starts when the word starts.
  let index = 0;
  for (let w = 0; w < words.words.length; w++) {
    index = TEXT.indexOf(words.words[w], index);
    assert.ok(Math.abs(alignment.characterStartTimeSeconds[index] - words.wordStartTimeSeconds[w]) < 1e-5);
    index += words.words[w].length;
  }
  for (let i = 1; i < alignment.characters.length; i++) {
    assert.ok(alignment.characterStartTimeSeconds[i] >= alignment.characterStartTimeSeconds[i - 1]);
  }
});

test('no timestampType means no timestampInfo', async () => {
  const json = await unary({});
  assert.equal(json.timestampInfo, undefined);
});

test('SYNC stream: timestamps ride on audio chunks and each word starts inside the audio sent so far', async () => {
  const response = await post(emulator, '/tts/v1/voice:stream', ttsBody({ text: TEXT, timestampType: 'WORD', timestampTransportStrategy: 'SYNC' }, { audioEncoding: 'PCM', sampleRateHertz: RATE }));
  const lines = await streamLines(response);
  const words: string[] = [];
  let audioSeconds = 0;
  for (const line of lines) {
    assert.ok(line.result?.audioContent, 'SYNC must not send timestamp-only lines');
    audioSeconds += Buffer.from(line.result.audioContent, 'base64').length / 2 / RATE;
    const alignment = line.result.timestampInfo?.wordAlignment;
    if (!alignment) continue;
    words.push(...alignment.words);
    for (const start of alignment.wordStartTimeSeconds) assert.ok(start < audioSeconds + 1e-6, `${start} beyond ${audioSeconds}`);
  }
  assert.deepEqual(words, TEXT.split(/\s+/));
});

test('ASYNC stream: audio-only lines first, then timestamp-only trailing lines with every word', async () => {
  const response = await post(emulator, '/tts/v1/voice:stream', ttsBody({ text: TEXT, timestampType: 'WORD', timestamp_transport_strategy: 'ASYNC' }, { audioEncoding: 'PCM', sampleRateHertz: RATE }));
  const lines = await streamLines(response);
  const firstTrailing = lines.findIndex((l) => !l.result?.audioContent);
  assert.ok(firstTrailing > 0);
  for (const line of lines.slice(0, firstTrailing)) assert.equal(line.result?.timestampInfo, undefined);
  const trailing = lines.slice(firstTrailing);
  for (const line of trailing) assert.equal(line.result?.audioContent, undefined);
  const words = trailing.flatMap((l) => l.result!.timestampInfo.wordAlignment.words);
  assert.deepEqual(words, TEXT.split(/\s+/));
  // Same times as the unary endpoint: both are relative to the request start.
  const unaryJson = await unary({ timestampType: 'WORD' });
  assert.deepEqual(trailing[0]!.result!.timestampInfo.wordAlignment.wordStartTimeSeconds, unaryJson.timestampInfo.wordAlignment.wordStartTimeSeconds);
});

test('usage is on audio chunks, never decreasing, ending at the character count', async () => {
  const response = await post(emulator, '/tts/v1/voice:stream', ttsBody({ text: TEXT }, { audioEncoding: 'PCM', sampleRateHertz: RATE }));
  const lines = await streamLines(response);
  const counts = lines.map((l) => l.result!.usage!.processedCharactersCount);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i]! >= counts[i - 1]!);
  assert.equal(counts.at(-1), TEXT.length);
  assert.equal(lines[0]!.result!.usage!.modelId, 'inworld-tts-1.5-max');
  assert.equal(audioOf(lines).length, lines.length);
});

test('speakingRate scales the duration and the timestamps', async () => {
  const normal = await unary({ timestampType: 'WORD' });
  const fast = await unary({ timestampType: 'WORD' }, { speakingRate: 1.5 });
  const slow = await unary({ timestampType: 'WORD' }, { speakingRate: 0.5 });
  const seconds = (json: any): number => Buffer.from(json.audioContent, 'base64').length / 2 / RATE;
  assert.ok(Math.abs(seconds(fast) / seconds(normal) - 1 / 1.5) < 0.02);
  assert.ok(Math.abs(seconds(slow) / seconds(normal) - 2) < 0.02);
  const lastEnd = (json: any): number => json.timestampInfo.wordAlignment.wordEndTimeSeconds.at(-1);
  assert.ok(lastEnd(fast) < lastEnd(normal) && lastEnd(normal) < lastEnd(slow));
});

test('longer text gives longer audio', async () => {
  const short = await unary({ text: 'Hi.' });
  const long = await unary({ text: 'Hi. This sentence is quite a lot longer than the first one.' });
  assert.ok(Buffer.from(long.audioContent, 'base64').length > 4 * Buffer.from(short.audioContent, 'base64').length);
});

test('wordTimestampStyle "tokens": every token of the text, whitespace and punctuation included', async () => {
  const other = await start({ wordTimestampStyle: 'tokens' });
  try {
    const response = await post(other, '/tts/v1/voice', ttsBody({ text: 'Hi, Dr. Who!  Go.', timestampType: 'WORD' }, { audioEncoding: 'PCM', sampleRateHertz: RATE }));
    const alignment = (await readJson(response)).timestampInfo.wordAlignment;
    assert.deepEqual(alignment.words, ['Hi', ',', ' ', 'Dr', '.', ' ', 'Who', '!', '  ', 'Go', '.']);
    assert.equal(alignment.words.join(''), 'Hi, Dr. Who!  Go.');
    for (let i = 1; i < alignment.words.length; i++) {
      assert.ok(alignment.wordStartTimeSeconds[i] >= alignment.wordEndTimeSeconds[i - 1] - 1e-6);
    }
    // The word tokens sit exactly where the attached-style words start.
    const attached = (await unary({ text: 'Hi, Dr. Who!  Go.', timestampType: 'WORD' })).timestampInfo.wordAlignment;
    assert.equal(alignment.wordStartTimeSeconds[3], attached.wordStartTimeSeconds[1]);
  } finally {
    await other.close();
  }
});

test('WORD on TTS 1.5 / 2 models carries phoneticDetails inside each word; TTS 1 models do not', async () => {
  const json = await unary({ text: 'Think big.', timestampType: 'WORD', modelId: 'inworld-tts-2' });
  const alignment = json.timestampInfo.wordAlignment;
  assert.equal(alignment.phoneticDetails.length, 2);
  alignment.phoneticDetails.forEach((detail: any, i: number) => {
    assert.equal(detail.wordIndex, i);
    assert.equal(detail.isPartial, false);
    const first = detail.phones[0];
    const last = detail.phones.at(-1);
    assert.ok(Math.abs(first.startTimeSeconds - alignment.wordStartTimeSeconds[i]) < 1e-5);
    assert.ok(Math.abs(last.startTimeSeconds + last.durationSeconds - alignment.wordEndTimeSeconds[i]) < 1e-5);
    for (const phone of detail.phones) assert.equal(typeof phone.visemeSymbol, 'string');
  });
  assert.deepEqual(alignment.phoneticDetails[0].phones.map((p: any) => p.phoneSymbol), ['th', 'i', 'n', 'k']);
  assert.equal(alignment.phoneticDetails[0].phones[0].visemeSymbol, 'th');
  const old = await unary({ text: 'Think big.', timestampType: 'WORD', modelId: 'inworld-tts-1' });
  assert.equal(old.timestampInfo.wordAlignment.phoneticDetails, undefined);
  const chars = await unary({ text: 'Think big.', timestampType: 'CHARACTER', modelId: 'inworld-tts-2' });
  assert.equal(chars.timestampInfo.wordAlignment, undefined);
});
