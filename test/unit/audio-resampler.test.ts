import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Resampler, resampleBuffer, resampleSource } from '../../src/audio/resampler.js';
import type { PcmSource } from '../../src/audio/source.js';

function tone(rate: number, frequency: number, seconds: number, amplitude = 16000): Buffer {
  const samples = Math.round(rate * seconds);
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / rate)), i * 2);
  return out;
}

/** RMS of the middle of a signal (edges excluded: the filter's start and end transients). */
function rms(pcm: Buffer, skipFraction = 0.1): number {
  const samples = pcm.length / 2;
  const from = Math.floor(samples * skipFraction);
  const to = samples - from;
  let sum = 0;
  for (let i = from; i < to; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return Math.sqrt(sum / (to - from));
}

const db = (ratio: number) => 20 * Math.log10(ratio);

test('output length is input × out/in (rounded up) for common rate pairs', () => {
  for (const [from, to] of [[44100, 16000], [48000, 16000], [96000, 48000], [22050, 16000], [8000, 16000], [16000, 44100], [44100, 44101]]) {
    for (const samples of [0, 1, 7, 1000, 4410]) {
      const out = resampleBuffer(Buffer.alloc(samples * 2), from!, to!);
      assert.equal(out.length / 2, Math.ceil((samples * to!) / from!), `${samples} samples ${from} → ${to}`);
    }
  }
});

test('DC passes with unity gain', () => {
  for (const [from, to] of [[44100, 16000], [16000, 48000], [48000, 44100]]) {
    const samples = from!;
    const dc = Buffer.alloc(samples * 2);
    for (let i = 0; i < samples; i++) dc.writeInt16LE(10000, i * 2);
    const out = resampleBuffer(dc, from!, to!);
    const n = out.length / 2;
    for (let i = Math.floor(n * 0.1); i < n * 0.9; i++) assert.ok(Math.abs(out.readInt16LE(i * 2) - 10000) <= 1, `${from}→${to} sample ${i}: ${out.readInt16LE(i * 2)}`);
  }
});

test('a tone above the new Nyquist is strongly attenuated; a passband tone is kept', () => {
  const input = tone(44100, 12000, 1);
  const aliased = resampleBuffer(input, 44100, 16000);
  const attenuation = db(rms(aliased) / rms(input));
  assert.ok(attenuation < -60, `12 kHz leaks through at ${attenuation.toFixed(1)} dB`);

  const nearNyquist = tone(44100, 9000, 1);
  assert.ok(db(rms(resampleBuffer(nearNyquist, 44100, 16000)) / rms(nearNyquist)) < -50, '9 kHz leaks');

  const speech = tone(44100, 1000, 1);
  const kept = db(rms(resampleBuffer(speech, 44100, 16000)) / rms(speech));
  assert.ok(Math.abs(kept) < 0.1, `1 kHz changed by ${kept.toFixed(2)} dB`);

  // Upsampling keeps the tone and adds no images.
  const low = tone(16000, 1000, 1);
  const up = resampleBuffer(low, 16000, 48000);
  assert.ok(Math.abs(db(rms(up) / rms(low))) < 0.1);
});

test('the resampled tone has the right frequency (zero crossings)', () => {
  const out = resampleBuffer(tone(48000, 500, 1), 48000, 16000);
  let crossings = 0;
  for (let i = 1; i < out.length / 2; i++) if ((out.readInt16LE(i * 2 - 2) < 0) !== (out.readInt16LE(i * 2) < 0)) crossings++;
  assert.ok(Math.abs(crossings - 1000) <= 2, `${crossings} zero crossings`);
});

test('streaming in any chunking (even odd byte splits) gives the same bytes as one call', () => {
  const input = tone(44100, 440, 0.05, 20000);
  const whole = resampleBuffer(input, 44100, 16000);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 8 }), (sizes) => {
      const resampler = new Resampler(44100, 16000);
      const parts: Buffer[] = [];
      for (let at = 0, i = 0; at < input.length; i++) {
        const size = sizes[i % sizes.length]!;
        parts.push(resampler.process(input.subarray(at, at + size)));
        at += size;
      }
      parts.push(resampler.flush());
      assert.deepEqual(Buffer.concat(parts), whole);
    }),
    { numRuns: 100 },
  );
});

test('full-scale input clips instead of wrapping', () => {
  // A full-scale step overshoots (Gibbs) past the int16 range; wrapping would flip signs.
  const step = Buffer.alloc(4800 * 2);
  for (let i = 0; i < 4800; i++) step.writeInt16LE(i < 2400 ? -32768 : 32767, i * 2);
  const out = resampleBuffer(step, 48000, 16000);
  let signChanges = 0;
  let peak = 0;
  for (let i = 1; i < out.length / 2; i++) {
    if ((out.readInt16LE(i * 2 - 2) < 0) !== (out.readInt16LE(i * 2) < 0)) signChanges++;
    peak = Math.max(peak, out.readInt16LE(i * 2));
  }
  assert.equal(signChanges, 1);
  assert.equal(peak, 32767);
});

test('resampleSource wraps a PcmSource and closes it', async () => {
  let closed = 0;
  const input = tone(48000, 440, 0.1);
  const source: PcmSource = {
    sampleRateHertz: 48000,
    channels: 1,
    close: () => void closed++,
    async *[Symbol.asyncIterator]() {
      yield input.subarray(0, 1001);
      yield input.subarray(1001);
    },
  };
  const resampled = resampleSource(source, 16000);
  assert.equal(resampled.sampleRateHertz, 16000);
  const parts: Buffer[] = [];
  for await (const part of resampled) parts.push(part);
  assert.deepEqual(Buffer.concat(parts), resampleBuffer(input, 48000, 16000));
  assert.ok(closed >= 1);
  assert.equal(resampleSource(source, 48000), source);
});
