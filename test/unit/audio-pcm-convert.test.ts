// Down-mixing 16-bit multi-channel PCM: the typed-array fast path gives the per-frame rounded mean
// for any channel count and any chunking, including chunks that start at odd byte offsets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createMonoConverter } from '../../src/audio/pcm-convert.js';

test('int16 down-mix is the rounded mean of each frame, however the bytes are chunked', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 6 }),
      fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 600 }),
      fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
      (channels, samples, cuts) => {
        const frames = Math.floor(samples.length / channels);
        const bytes = Buffer.alloc(frames * channels * 2);
        for (let i = 0; i < frames * channels; i++) bytes.writeInt16LE(samples[i]!, i * 2);
        const converter = createMonoConverter({ encoding: 'int16', channels, bytesPerSample: 2 });
        const parts: Buffer[] = [];
        // Copy each piece behind a one-byte prefix so its view starts at an odd offset.
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const end = Math.min(bytes.length, at + cuts[k % cuts.length]!);
          const padded = Buffer.concat([Buffer.from([0]), bytes.subarray(at, end)]).subarray(1);
          parts.push(converter.convert(padded));
          at = end;
        }
        const out = Buffer.concat(parts);
        assert.equal(out.length, frames * 2);
        for (let frame = 0; frame < frames; frame++) {
          let sum = 0;
          for (let c = 0; c < channels; c++) sum += samples[frame * channels + c]!;
          assert.equal(out.readInt16LE(frame * 2), Math.round(sum / channels) || 0);
        }
      },
    ),
    { numRuns: 200 },
  );
});
