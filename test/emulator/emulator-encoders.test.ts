// The incremental encoders on their own: framing edge cases, G.711 reference points, Ogg and FLAC
// structure, and validity when fed in awkward pieces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEncoder, encodeAll } from '../../src/emulator/index.js';
import { linearToAlaw, linearToMulaw } from '../../src/emulator/codecs/g711.js';
import { ffmpegDecode, wavHeader } from './http-support.js';
import { needs } from '../helpers/needs.js';

function sine(rate: number, seconds: number, hz = 330): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}

test('LINEAR16 and WAV never emit a header-only chunk for an empty write', () => {
  const linear = createEncoder({ encoding: 'LINEAR16', sampleRateHertz: 16000 });
  assert.equal(linear.write(new Int16Array(0)).length, 0);
  assert.equal(linear.end().length, 0);
  const wav = createEncoder({ encoding: 'WAV', sampleRateHertz: 16000 });
  assert.equal(wav.write(new Int16Array(0)).length, 0);
  const chunk = wav.write(new Int16Array(3));
  assert.equal(chunk.length, 44 + 6);
  assert.equal(wav.end().length, 0);
});

test('WAV with no samples at all still ends as a valid empty file; unknown totals use the streaming size', () => {
  const empty = createEncoder({ encoding: 'WAV', sampleRateHertz: 8000 });
  const file = empty.end();
  assert.equal(file.length, 44);
  assert.equal(wavHeader(file).dataSize, 0);
  const streaming = createEncoder({ encoding: 'WAV', sampleRateHertz: 8000 }).write(new Int16Array(10));
  assert.equal(wavHeader(streaming).dataSize, 0xffffffff);
});

test('G.711 reference points', () => {
  assert.equal(linearToMulaw(0), 0xff);
  assert.equal(linearToMulaw(32767), 0x80);
  assert.equal(linearToMulaw(-32768), 0x00);
  assert.equal(linearToAlaw(0), 0xd5);
  assert.equal(linearToAlaw(32767), 0xaa);
  assert.equal(linearToAlaw(-32768), 0x2a);
  // Monotonic: louder positive input never gives a smaller decoded magnitude code.
  const mu = encodeAll({ encoding: 'MULAW', sampleRateHertz: 8000 }, Int16Array.from([100, 1000, 10000]));
  assert.ok((~mu[0]! & 0x7f) < (~mu[1]! & 0x7f) && (~mu[1]! & 0x7f) < (~mu[2]! & 0x7f));
});

test('Ogg Opus: BOS then EOS, increasing page numbers, final granule = pre-skip + 48 kHz samples', () => {
  const samples = sine(24000, 0.5);
  const file = encodeAll({ encoding: 'OGG_OPUS', sampleRateHertz: 24000 }, samples);
  const pages: { flags: number; granule: bigint; sequence: number }[] = [];
  let offset = 0;
  while (offset < file.length) {
    assert.equal(file.toString('ascii', offset, offset + 4), 'OggS');
    const segments = file[offset + 26]!;
    let body = 0;
    for (let i = 0; i < segments; i++) body += file[offset + 27 + i]!;
    pages.push({ flags: file[offset + 5]!, granule: file.readBigInt64LE(offset + 6), sequence: file.readUInt32LE(offset + 18) });
    offset += 27 + segments + body;
  }
  assert.equal(offset, file.length);
  assert.ok(pages.length >= 3);
  assert.equal(pages[0]!.flags & 0x02, 0x02);
  assert.equal(pages.at(-1)!.flags & 0x04, 0x04);
  pages.forEach((page, i) => assert.equal(page.sequence, i));
  const preSkip = file.readUInt16LE(28 + 10);
  assert.equal(pages.at(-1)!.granule, BigInt(preSkip + samples.length * 2));
});

test('FLAC STREAMINFO carries the rate and the total sample count', () => {
  const samples = sine(22050, 0.3);
  const file = encodeAll({ encoding: 'FLAC', sampleRateHertz: 22050 }, samples);
  assert.equal(file.toString('ascii', 0, 4), 'fLaC');
  const packed = file.readBigUInt64BE(18);
  assert.equal(Number(packed >> 44n), 22050);
  assert.equal(Number((packed >> 36n) & 0x1fn) + 1, 16);
  assert.equal(Number(packed & 0xfffffffffn), samples.length);
});

for (const [encoding, extension] of [['MP3', 'mp3'], ['OGG_OPUS', 'ogg'], ['FLAC', 'flac'], ['WAV', 'wav']] as const) {
  test(`${encoding}: fed in odd-sized pieces (1, 7, 999 … samples) it still makes one valid file`, { skip: needs('ffmpeg') }, () => {
    const samples = sine(16000, 0.6);
    const encoder = createEncoder({ encoding, sampleRateHertz: 16000, totalSamples: samples.length });
    const parts: Buffer[] = [];
    const sizes = [1, 7, 999, 2, 4096, 3];
    let offset = 0;
    for (let i = 0; offset < samples.length; i++) {
      const size = sizes[i % sizes.length]!;
      parts.push(encoder.write(samples.subarray(offset, offset + size)));
      offset += size;
    }
    parts.push(encoder.end());
    const decoded = ffmpegDecode(Buffer.concat(parts), extension, [], ['-ar', '16000']);
    assert.equal(decoded.status, 0, decoded.errors);
    assert.equal(decoded.errors, '');
    // MP3 adds up to a frame of padding; Opus and the lossless formats come back at the exact length.
    const slack = encoding === 'MP3' ? 2000 : 2;
    assert.ok(Math.abs(decoded.pcm.length / 2 - samples.length) <= slack, `${decoded.pcm.length / 2} vs ${samples.length}`);
    if (encoding === 'FLAC' || encoding === 'WAV') assert.ok(decoded.pcm.equals(Buffer.from(samples.buffer)));
  });
}

function longOpus(): { samples: Int16Array; file: Buffer } {
  const samples = sine(16000, 12);
  return { samples, file: encodeAll({ encoding: 'OGG_OPUS', sampleRateHertz: 16000, bitRate: 32000 }, samples) };
}

test('a long Ogg Opus stream spans several audio pages with increasing granules', () => {
  const { samples, file } = longOpus();
  const granules: bigint[] = [];
  let offset = 0;
  while (offset < file.length) {
    const segments = file[offset + 26]!;
    let body = 0;
    for (let i = 0; i < segments; i++) body += file[offset + 27 + i]!;
    granules.push(file.readBigInt64LE(offset + 6));
    offset += 27 + segments + body;
  }
  const audio = granules.slice(2); // after OpusHead and OpusTags
  assert.ok(audio.length >= 3, `${audio.length} audio pages`);
  for (let i = 1; i < audio.length; i++) assert.ok(audio[i]! > audio[i - 1]!, `granule ${i} does not increase`);
  assert.equal(audio.at(-1), BigInt(312 + samples.length * 3));
});

test('a long Ogg Opus stream decodes to its full length', { skip: needs('ffmpeg') }, () => {
  const { samples, file } = longOpus();
  const decoded = ffmpegDecode(file, 'ogg', [], ['-ar', '16000']);
  assert.equal(decoded.errors, '');
  assert.ok(Math.abs(decoded.pcm.length / 2 - samples.length) <= 2);
});
