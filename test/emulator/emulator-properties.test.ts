// Properties that must hold for any input: speech timings, stream framing, fault rule counting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createEncoder, createSpeechEngine, FaultRegistry } from '../../src/emulator/index.js';
import { resample } from '../../src/emulator/codecs/resample.js';

const engine = createSpeechEngine('synthetic');
const textArb = fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom(' ', '  ', '\n', '. ', ', ', '! ', 'é', '世界', '🎉')), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

test('synthetic speech: words are the whitespace tokens, characters the code points, times ordered and inside the audio', async () => {
  await fc.assert(
    fc.asyncProperty(textArb, fc.constantFrom(8000, 16000, 22050), fc.double({ min: 0.5, max: 1.5, noNaN: true }), async (text, rate, speakingRate) => {
      const speech = await engine.render(text, { sampleRateHertz: rate, speakingRate });
      assert.deepEqual(speech.words.map((w) => w.text), text.split(/\s+/u).filter((w) => w.length > 0));
      assert.deepEqual(speech.characters.map((c) => c.text), [...text]);
      let previous = 0;
      for (const word of speech.words) {
        assert.ok(word.startSeconds >= previous - 1e-9 && word.endSeconds > word.startSeconds);
        previous = word.endSeconds;
      }
      assert.ok(previous <= speech.durationSeconds + 1e-9);
      for (let i = 1; i < speech.characters.length; i++) {
        assert.ok(speech.characters[i]!.startSeconds >= speech.characters[i - 1]!.startSeconds - 1e-9);
      }
    }),
    { numRuns: 60 },
  );
});

test('LINEAR16 chunks always carry their own true sizes and strip to the PCM stream', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 10 }), (sizes) => {
      const encoder = createEncoder({ encoding: 'LINEAR16', sampleRateHertz: 16000 });
      const total = sizes.reduce((a, b) => a + b, 0);
      const samples = Int16Array.from({ length: total }, (_, i) => (i * 37) % 65536 - 32768);
      let offset = 0;
      const bodies: Buffer[] = [];
      for (const size of sizes) {
        const chunk = encoder.write(samples.subarray(offset, offset + size));
        offset += size;
        if (size === 0) {
          assert.equal(chunk.length, 0);
          continue;
        }
        assert.equal(chunk.readUInt32LE(40), size * 2);
        assert.equal(chunk.readUInt32LE(4), size * 2 + 36);
        bodies.push(chunk.subarray(44));
      }
      assert.ok(Buffer.concat(bodies).equals(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)));
    }),
  );
});

test('a rule with skip k and times n acts on requests k+1..k+n only', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 15 }), (skip, times, requests) => {
      const faults = new FaultRegistry();
      faults.add({ path: '/p', skip, times, action: { type: 'status', status: 503 } });
      const hits: number[] = [];
      for (let i = 1; i <= requests; i++) {
        faults.take({ protocol: 'http', method: 'GET', path: '/other' });
        if (faults.take({ protocol: 'http', method: 'POST', path: '/p' }).length > 0) hits.push(i);
      }
      const expected = Array.from({ length: Math.max(0, Math.min(times, requests - skip)) }, (_, i) => skip + 1 + i);
      assert.deepEqual(hits, expected);
    }),
  );
});

test('resampling gives round(n * to / from) samples', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), fc.constantFrom(8000, 11025, 16000, 22050, 44100, 48000), fc.constantFrom(8000, 16000, 24000, 48000), (n, from, to) => {
      const out = resample(new Int16Array(n).fill(1000), from, to);
      assert.equal(out.length, from === to ? n : Math.max(1, Math.round((n * to) / from)));
      // DC stays DC.
      for (const value of out) assert.ok(Math.abs(value - 1000) <= 1, String(value));
    }),
    { numRuns: 50 },
  );
});
