// The FLAC part joiner on the emulator's real encoder output: whole FLAC files in, one FLAC file
// out, checked by an independent walk of its frames (the emulator writes VERBATIM subframes, so the
// samples can be read back without a decoder) and by ffmpeg where it is installed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flacCrc16, flacCrc8, oggCrc32 } from '../../src/audio/checksums.js';
import { measureDuration } from '../../src/audio/duration-meter.js';
import { codeNumber } from '../../src/audio/flac-join.js';
import { createPartJoiner } from '../../src/audio/part-joiner.js';
import { crc16, crc32Ogg, crc8 } from '../../src/emulator/codecs/crc.js';
import { encodeAll } from '../../src/emulator/codecs/encoders.js';
import { FFMPEG_MISSING, RATE, ffmpegView, joinParts, samples } from './join-helpers.js';

const BLOCK = 4096;
/** Lengths chosen so parts end mid-block, on a block boundary, and shorter than one block. */
const LENGTHS = [RATE * 2 + 123, BLOCK * 5, 3001];

function flacParts(lengths = LENGTHS, rate = RATE): { parts: Buffer[]; pcm: Int16Array[] } {
  const pcm = lengths.map((length, i) => samples(length, i));
  return { parts: pcm.map((part) => encodeAll({ encoding: 'FLAC', sampleRateHertz: rate }, part)), pcm };
}

interface Walked {
  info: { minBlock: number; maxBlock: number; minFrame: number; maxFrame: number; rate: number; channels: number; bits: number; total: number; md5: Buffer };
  frames: Array<{ variable: boolean; number: number; blockSize: number; bytes: number }>;
  samples: Int16Array;
}

/** Reads FLAC's "UTF-8" coded number at `at`: [value, bytes]. */
function readCodedNumber(data: Buffer, at: number): [number, number] {
  const lead = data[at]!;
  if (lead < 0x80) return [lead, 1];
  let length = 0;
  for (let bit = 0x80; lead & bit; bit >>= 1) length += 1;
  let value = lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i += 1) value = value * 64 + (data[at + i]! & 0x3f);
  return [value, length];
}

/** Walks a mono 16-bit FLAC of VERBATIM frames, checking every CRC; throws on anything else. */
function walkFlac(data: Buffer): Walked {
  assert.equal(data.toString('latin1', 0, 4), 'fLaC');
  let at = 4;
  let info: Walked['info'] | undefined;
  for (let last = false; !last; ) {
    last = (data[at]! & 0x80) !== 0;
    const type = data[at]! & 0x7f;
    const length = data.readUIntBE(at + 1, 3);
    if (type === 0) {
      const s = data.subarray(at + 4, at + 4 + 34);
      const packed = s.readBigUInt64BE(10);
      info = {
        minBlock: s.readUInt16BE(0), maxBlock: s.readUInt16BE(2), minFrame: s.readUIntBE(4, 3), maxFrame: s.readUIntBE(7, 3),
        rate: Number(packed >> 44n), channels: Number((packed >> 41n) & 7n) + 1, bits: Number((packed >> 36n) & 31n) + 1,
        total: Number(packed & ((1n << 36n) - 1n)), md5: Buffer.from(s.subarray(18, 34)),
      };
    }
    at += 4 + length;
  }
  const frames: Walked['frames'] = [];
  const out: number[] = [];
  while (at < data.length) {
    assert.equal(data[at], 0xff, `a frame at ${at}`);
    assert.equal(data[at + 1]! & 0xfe, 0xf8);
    const blockCode = data[at + 2]! >> 4;
    const [number, numberBytes] = readCodedNumber(data, at + 4);
    let p = at + 4 + numberBytes;
    const blockSize = blockCode === 0b1100 ? BLOCK : blockCode === 0b0111 ? data.readUInt16BE(p) + 1 : NaN;
    if (blockCode === 0b0111) p += 2;
    assert.equal(data[p], crc8(data.subarray(at, p)), `header CRC-8 of the frame at ${at}`);
    p += 1;
    assert.equal(data[p], 0b10, 'a VERBATIM subframe');
    p += 1;
    for (let i = 0; i < blockSize; i += 1, p += 2) out.push(data.readInt16BE(p));
    assert.equal(data.readUInt16BE(p), crc16(data.subarray(at, p)), `CRC-16 of the frame at ${at}`);
    p += 2;
    frames.push({ variable: (data[at + 1]! & 1) === 1, number, blockSize, bytes: p - at });
    at = p;
  }
  return { info: info!, frames, samples: Int16Array.from(out) };
}

const concat = (parts: Int16Array[]): Int16Array => Int16Array.from(parts.flatMap((part) => [...part]));

test('the checksums agree with the emulator\'s independent ones', () => {
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
  for (const length of [0, 1, 2, 17, 255, 5000]) {
    const slice = bytes.subarray(0, length);
    assert.equal(flacCrc8(slice), crc8(slice));
    assert.equal(flacCrc16(slice), crc16(slice));
    assert.equal(oggCrc32(slice), crc32Ogg(slice));
  }
  assert.equal(flacCrc16(bytes, 100, 5000, flacCrc16(bytes, 0, 100)), crc16(bytes), 'continued CRC-16');
});

test('FLAC sample numbers are coded in 1 to 7 bytes', () => {
  for (const value of [0, 0x7f, 0x80, 0x7ff, 0x800, 0xffff, 0x10000, 0x1fffff, 0x200000, 2 ** 31 - 1, 2 ** 31, 2 ** 36 - 1]) {
    const coded = codeNumber(value);
    assert.deepEqual(readCodedNumber(coded, 0), [value, coded.length], `${value}`);
  }
  assert.equal(codeNumber(2 ** 36 - 1).length, 7);
});

test('FLAC: the parts become one file, every frame renumbered by sample with valid CRCs, the samples untouched', () => {
  const { parts, pcm } = flacParts();
  const joined = joinParts('flac', parts);
  const walked = walkFlac(joined.bytes);
  const total = LENGTHS.reduce((sum, length) => sum + length, 0);
  assert.deepEqual(walked.samples, concat(pcm), 'lossless: the samples of every part, in order');
  let next = 0;
  for (const frame of walked.frames) {
    assert.equal(frame.variable, true);
    assert.equal(frame.number, next);
    next += frame.blockSize;
  }
  // STREAMINFO, as patched at the end: the totals of the whole file.
  const { info } = walked;
  assert.equal(info.total, total);
  assert.deepEqual([info.rate, info.channels, info.bits], [RATE, 1, 16]);
  assert.equal(info.maxBlock, BLOCK);
  assert.equal(info.minBlock, Math.min(...walked.frames.slice(0, -1).map((frame) => frame.blockSize)));
  assert.equal(info.minFrame, Math.min(...walked.frames.map((frame) => frame.bytes)));
  assert.equal(info.maxFrame, Math.max(...walked.frames.map((frame) => frame.bytes)));
  assert.ok(info.md5.equals(Buffer.alloc(16)), 'MD5 unknown');
  // As a pipe gets it: the same frames, the totals "unknown".
  const piped = walkFlac(joined.unpatched);
  assert.equal(piped.info.total, 0);
  assert.ok(piped.info.minBlock < piped.info.maxBlock, 'a variable-blocksize STREAMINFO');
  assert.deepEqual(piped.samples, walked.samples);
  assert.equal(measureDuration('flac', RATE, joined.bytes), total / RATE);
  // Each part's timestamps start where its samples do.
  assert.deepEqual(joined.offsets, [0, LENGTHS[0]! / RATE, (LENGTHS[0]! + LENGTHS[1]!) / RATE]);
});

test('FLAC: bytes cut anywhere give the same file, and the joiner holds at most one frame', () => {
  const { parts } = flacParts();
  const whole = joinParts('flac', parts, [1 << 30]);
  for (const pieces of [[1], [2, 3, 5], [8191, 1]]) {
    const joined = joinParts('flac', parts, pieces);
    assert.ok(joined.bytes.equals(whole.bytes), `pieces ${pieces.join(',')}`);
    const maxFrame = 4 + 7 + 2 + 1 + 1 + BLOCK * 2 + 2; // header, subframe byte, samples, CRC
    // Pushed and not given out: at most a frame and a piece, plus the later parts' dropped headers.
    assert.ok(joined.maxHeldBytes <= maxFrame + Math.max(...pieces) + 64 * parts.length, `held ${joined.maxHeldBytes} bytes`);
  }
});

test('FLAC: parts in different formats are refused, naming both', () => {
  const joiner = createPartJoiner('flac')!;
  joiner.push(encodeAll({ encoding: 'FLAC', sampleRateHertz: RATE }, samples(5000)));
  joiner.endPart();
  assert.throws(() => joiner.push(encodeAll({ encoding: 'FLAC', sampleRateHertz: 16000 }, samples(5000))), /part 2 is 16000 Hz.*part 1 24000 Hz/);
});

test('FLAC: ffprobe and ffmpeg read the joined file whole, where the plain concatenation stops', { skip: FFMPEG_MISSING }, () => {
  const { parts, pcm } = flacParts();
  const total = LENGTHS.reduce((sum, length) => sum + length, 0) / RATE;
  const joined = ffmpegView(joinParts('flac', parts).bytes, 'flac');
  assert.equal(joined.errors, '');
  assert.ok(Math.abs(joined.probed - total) < 0.001, `ffprobe ${joined.probed} s, expected ${total} s`);
  const decoded = new Int16Array(joined.decoded.buffer, joined.decoded.byteOffset, joined.decoded.length / 2);
  assert.deepEqual(Int16Array.from(decoded), concat(pcm));
  // The test can fail: the plain concatenation is misread.
  const plain = ffmpegView(Buffer.concat(parts), 'flac');
  assert.ok(Math.abs(plain.probed - total) > 0.5, `plain concatenation: ffprobe ${plain.probed} s`);
});
