// The speech engines: deterministic synthetic speech with exact word timings, and espeak-ng when
// installed (with its per-word fallback).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSpeechEngine } from '../../src/emulator/index.js';
import { createEspeakEngine } from '../../src/emulator/tts/speech-espeak.js';
import { rms } from './http-support.js';
import { needs } from '../helpers/needs.js';

const RATE = 16000;

test('synthetic: same input, same samples; words, characters and duration agree', async () => {
  const engine = createSpeechEngine('synthetic');
  const a = await engine.render('Hello, big world!', { sampleRateHertz: RATE, voiceId: 'Ashley' });
  const b = await engine.render('Hello, big world!', { sampleRateHertz: RATE, voiceId: 'Ashley' });
  assert.deepEqual(a.samples, b.samples);
  assert.equal(a.sampleRateHertz, RATE);
  assert.equal(a.durationSeconds, a.samples.length / RATE);
  assert.deepEqual(a.words.map((w) => w.text), ['Hello,', 'big', 'world!']);
  assert.equal(a.characters.map((c) => c.text).join(''), 'Hello, big world!');
  assert.ok(a.words.at(-1)!.endSeconds < a.durationSeconds);
});

test('synthetic: word audio is shared between renders but never between results', async () => {
  const engine = createSpeechEngine('synthetic');
  const a = await engine.render('Hello hello world.', { sampleRateHertz: RATE, voiceId: 'Ashley' });
  const expected = Int16Array.from(a.samples);
  a.samples.fill(0); // a caller scribbling on its result must not change later renders
  const b = await engine.render('Hello hello world.', { sampleRateHertz: RATE, voiceId: 'Ashley' });
  assert.deepEqual(b.samples, expected);
  // Other rates, speeds and voices render their own audio, not a cached neighbour's.
  const slow = await engine.render('Hello hello world.', { sampleRateHertz: RATE, voiceId: 'Ashley', speakingRate: 0.5 });
  assert.ok(slow.samples.length > b.samples.length);
  const other = await engine.render('Hello hello world.', { sampleRateHertz: 8000, voiceId: 'Ashley' });
  assert.ok(Math.abs(other.durationSeconds - b.durationSeconds) < 0.01);
  assert.notEqual(other.samples.length, b.samples.length);
});

test('synthetic: characters are code points, also outside the BMP and in CJK text', async () => {
  const engine = createSpeechEngine('synthetic');
  const text = 'こんにちは 世界 🎉!';
  const speech = await engine.render(text, { sampleRateHertz: 8000 });
  assert.deepEqual(speech.characters.map((c) => c.text), [...text]);
  assert.deepEqual(speech.words.map((w) => w.text), ['こんにちは', '世界', '🎉!']);
  // Five kana are about five syllables: longer than the two-character word.
  const span = (i: number): number => speech.words[i]!.endSeconds - speech.words[i]!.startSeconds;
  assert.ok(span(0) > 2 * span(1));
});

test('synthetic: empty and whitespace-only text give silence-free empty output', async () => {
  const engine = createSpeechEngine('synthetic');
  for (const text of ['', '   ']) {
    const speech = await engine.render(text, { sampleRateHertz: RATE });
    assert.deepEqual(speech.words, []);
    assert.ok(speech.durationSeconds < 0.1);
  }
});

test('espeak: real speech where the words are, silence between them', { skip: needs('espeak-ng') }, async () => {
  const engine = createSpeechEngine('espeak');
  assert.equal(engine.name, 'espeak');
  const speech = await engine.render('Hello there. General Kenobi!', { sampleRateHertz: RATE, voiceId: 'Dennis' });
  assert.deepEqual(speech.words.map((w) => w.text), ['Hello', 'there.', 'General', 'Kenobi!']);
  for (let i = 0; i < speech.words.length; i++) {
    const word = speech.words[i]!;
    assert.ok(rms(speech.samples, word.startSeconds * RATE, word.endSeconds * RATE) > 300, `word ${word.text}`);
    const next = speech.words[i + 1];
    if (next) assert.equal(rms(speech.samples, word.endSeconds * RATE + 1, next.startSeconds * RATE - 1), 0);
  }
  // A different voice sounds different.
  const other = await engine.render('Hello there. General Kenobi!', { sampleRateHertz: RATE, voiceId: 'Ashley' });
  assert.notDeepEqual(other.samples, speech.samples);
});

test('espeak: speakingRate shortens the speech', { skip: needs('espeak-ng') }, async () => {
  const engine = createSpeechEngine('espeak');
  const normal = await engine.render('This is a test of the speaking rate.', { sampleRateHertz: RATE });
  const fast = await engine.render('This is a test of the speaking rate.', { sampleRateHertz: RATE, speakingRate: 1.5 });
  assert.ok(fast.durationSeconds < normal.durationSeconds * 0.85, `${fast.durationSeconds} vs ${normal.durationSeconds}`);
});

test('espeak: a missing binary falls back to synthetic audio for every word', async () => {
  const engine = createEspeakEngine(() => 'en-us', () => 150, '/nonexistent/espeak-ng');
  const speech = await engine.render('Still talking.', { sampleRateHertz: RATE });
  const synthetic = await createSpeechEngine('synthetic').render('Still talking.', { sampleRateHertz: RATE });
  assert.equal(speech.words.length, 2);
  assert.equal(speech.samples.length, synthetic.samples.length);
  assert.ok(rms(speech.samples) > 1000);
});

test('espeak: an explicit language picks that language\'s voice', { skip: needs('espeak-ng') }, async () => {
  const engine = createSpeechEngine('espeak');
  const english = await engine.render('Bonjour Paris', { sampleRateHertz: RATE, voiceId: 'Ashley' });
  const french = await engine.render('Bonjour Paris', { sampleRateHertz: RATE, voiceId: 'Ashley', language: 'fr-FR' });
  assert.notDeepEqual(french.samples, english.samples);
  assert.deepEqual(french.words.map((w) => w.text), ['Bonjour', 'Paris']);
});

test('espeak: a seed is a repeatable take of its own, a designed voice a voice of its own', { skip: needs('espeak-ng') }, async () => {
  const engine = createSpeechEngine('espeak');
  const text = 'Seeds make takes repeatable.';
  const seeded = await engine.render(text, { sampleRateHertz: RATE, voiceId: 'Ashley', seed: 5 });
  assert.deepEqual((await engine.render(text, { sampleRateHertz: RATE, voiceId: 'Ashley', seed: 5 })).samples, seeded.samples);
  assert.notDeepEqual((await engine.render(text, { sampleRateHertz: RATE, voiceId: 'Ashley', seed: 6 })).samples, seeded.samples);
  assert.notDeepEqual((await engine.render(text, { sampleRateHertz: RATE, voiceId: 'Ashley' })).samples, seeded.samples);
  const { designVoice } = await import('../../src/emulator/tts/voice-variation.js');
  const man = designVoice('A calm older man with a deep voice');
  const woman = designVoice('A bright young woman, quick and cheerful');
  assert.match(man.espeakVoice, /\+m\d$/);
  assert.match(woman.espeakVoice, /\+f\d$/);
  assert.ok(man.pitchHz < woman.pitchHz);
  assert.deepEqual(designVoice('A calm older man with a deep voice'), man, 'the same description, the same voice');
  const designed = await engine.render(text, { sampleRateHertz: RATE, designedVoice: woman });
  assert.notDeepEqual(designed.samples, (await engine.render(text, { sampleRateHertz: RATE, designedVoice: man })).samples);
});

test('synthetic: <break> tags are pauses of their time, at any speaking rate, and never words', async () => {
  const engine = createSpeechEngine('synthetic');
  const plain = await engine.render('One two.', { sampleRateHertz: RATE, speakingRate: 1.5 });
  const paused = await engine.render('<break time="300ms"/>One <Break time="1.5s" /> two.', { sampleRateHertz: RATE, speakingRate: 1.5 });
  assert.deepEqual(paused.words.map((w) => w.text), ['One', 'two.']);
  assert.equal(paused.samples.length - plain.samples.length, Math.round(0.3 * RATE) + Math.round(1.5 * RATE));
  assert.ok(paused.words[0]!.startSeconds >= 0.3);
});
