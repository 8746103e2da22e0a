// The emulator's resampler: keeps in-band tones, removes what would alias.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resample } from '../../src/emulator/codecs/resample.js';

function tone(hz: number, rate: number, seconds: number, amplitude = 10000): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

/** Amplitude of one frequency in the middle of the signal (a single-bin DFT). */
function amplitudeAt(samples: Int16Array, rate: number, hz: number): number {
  const from = Math.floor(samples.length / 4);
  const to = Math.floor((3 * samples.length) / 4);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += samples[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im += samples[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

test('an in-band tone keeps its frequency and level across rate changes', () => {
  for (const [from, to] of [[22050, 16000], [22050, 48000], [24000, 8000], [8000, 44100]] as const) {
    const out = resample(tone(440, from, 0.5), from, to);
    assert.equal(out.length, Math.round(0.5 * to));
    const level = amplitudeAt(out, to, 440);
    assert.ok(Math.abs(level - 10000) < 300, `${from}->${to}: ${level}`);
  }
});

test('a tone above the new Nyquist frequency is removed, not folded back', () => {
  const out = resample(tone(7000, 48000, 0.5), 48000, 8000);
  // 7 kHz would alias to 1 kHz at 8 kHz.
  assert.ok(amplitudeAt(out, 8000, 1000) < 200, `aliased level ${amplitudeAt(out, 8000, 1000)}`);
});

test('same rate returns an equal copy; empty stays empty', () => {
  const input = tone(440, 16000, 0.01);
  const out = resample(input, 16000, 16000);
  assert.deepEqual(out, input);
  assert.notEqual(out, input);
  assert.equal(resample(new Int16Array(0), 16000, 8000).length, 0);
});
