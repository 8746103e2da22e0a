// The duration meter against real encoder output (the emulator's encoders: lamejs, libopus, the
// FLAC writer) and against ffmpeg's own decoding where ffmpeg is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AudioDurationMeter, measureDuration, meteredContainerFor, parseMp3Header, type MeteredContainer } from '../../src/audio/duration-meter.js';
import { crc8 } from '../../src/emulator/codecs/crc.js';
import { encodeAll } from '../../src/emulator/codecs/encoders.js';
import { needs } from '../helpers/needs.js';

const RATE = 24000;

/** A tone with silent stretches, and samples of -8 (0xFFF8 big-endian: a FLAC sync look-alike). */
function samples(count: number): Int16Array {
  const out = new Int16Array(count);
  for (let i = 0; i < count; i += 1) out[i] = i % 5000 < 1000 ? -8 : Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / RATE));
  return out;
}

/** Pushes the bytes in pieces of the given sizes, cycling, to cross every boundary. */
function meterInPieces(container: MeteredContainer, bytes: Buffer, sizes: number[], rate = RATE): number {
  const meter = new AudioDurationMeter(container, rate);
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length]!;
    meter.push(bytes.subarray(at, at + size));
    at += size;
  }
  return meter.seconds;
}

function ffmpegSeconds(bytes: Buffer, extension: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-meter-'));
  try {
    const file = join(dir, `audio.${extension}`);
    writeFileSync(file, bytes);
    const decode = spawnSync('ffmpeg', ['-v', 'quiet', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', '-'], { maxBuffer: 1 << 26 });
    return decode.stdout.length / 2 / 48000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('PCM and G.711 are measured by byte count', () => {
  assert.equal(measureDuration('pcm_s16le', RATE, Buffer.alloc(RATE * 2 * 3)), 3);
  assert.equal(measureDuration('pcm_s16le', RATE, Buffer.alloc(RATE * 2 * 3), 2), 1.5);
  assert.equal(measureDuration('mulaw', 8000, Buffer.alloc(12000)), 1.5);
  assert.equal(measureDuration('alaw', 8000, Buffer.alloc(4000)), 0.5);
  assert.equal(meteredContainerFor('WAV'), 'pcm_s16le');
  assert.equal(meteredContainerFor('OGG_OPUS'), 'ogg_opus');
  assert.equal(meteredContainerFor('AUTO'), undefined);
});

test('MP3: every frame counts its samples, however the bytes are cut; two streams add up', () => {
  const one = encodeAll({ encoding: 'MP3', sampleRateHertz: RATE }, samples(RATE * 2));
  const whole = measureDuration('mp3', RATE, one);
  // lamejs adds its encoder delay and pads to a frame: a little more than 2 s, in 576-sample frames.
  assert.ok(whole > 2 && whole < 2 + 0.15, `${whole}`);
  assert.equal(Math.round((whole * RATE) / 576) * 576, Math.round(whole * RATE));
  assert.equal(meterInPieces('mp3', one, [1, 7, 300, 2]), whole);
  assert.equal(measureDuration('mp3', RATE, Buffer.concat([one, one])), 2 * whole);
});

test('MP3: an ID3v2 tag is skipped and a Xing/Info frame counts nothing', () => {
  const audio = encodeAll({ encoding: 'MP3', sampleRateHertz: RATE }, samples(RATE));
  const header = parseMp3Header(audio, 0)!;
  const info = Buffer.alloc(header.bytes);
  audio.copy(info, 0, 0, 4);
  info.write('Info', header.tagOffset, 'latin1');
  const tagBody = Buffer.alloc(300, 0xff); // sync-like bytes inside the tag must not count
  const id3 = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, (300 >> 7) & 0x7f, 300 & 0x7f]), tagBody]);
  const tagged = Buffer.concat([id3, info, audio]);
  assert.equal(measureDuration('mp3', RATE, tagged), measureDuration('mp3', RATE, audio));
  assert.equal(meterInPieces('mp3', tagged, [5, 3, 64]), measureDuration('mp3', RATE, audio));
});

test('Ogg Opus: last granule minus pre-skip, chained streams summed even with the same serial', () => {
  const one = encodeAll({ encoding: 'OGG_OPUS', sampleRateHertz: RATE }, samples(RATE * 1.5));
  assert.equal(measureDuration('ogg_opus', RATE, one), 1.5);
  assert.equal(meterInPieces('ogg_opus', one, [1, 27, 500, 3]), 1.5);
  assert.equal(measureDuration('ogg_opus', RATE, Buffer.concat([one, one])), 3);
});

/** Samples whose big-endian bytes are a valid header of frame 0 (4096 samples, 24 kHz, mono, 16 bit). */
function fakeFlacHeaderSamples(): Int16Array {
  const header = [0xff, 0xf8, 0xc7, 0x08, 0x00];
  const bytes = Buffer.from([...header, crc8(Uint8Array.from(header)), 0x00]);
  return Int16Array.from([bytes.readInt16BE(0), bytes.readInt16BE(2), bytes.readInt16BE(4)]);
}

test('FLAC: frame headers with a valid CRC and frame number; a second fLaC starts a new stream', () => {
  const pcm = samples(RATE * 2 + 123);
  pcm.set(fakeFlacHeaderSamples(), RATE); // inside the audio: must not count as a frame
  const one = encodeAll({ encoding: 'FLAC', sampleRateHertz: RATE }, pcm);
  const expected = (RATE * 2 + 123) / RATE;
  assert.ok(Math.abs(measureDuration('flac', RATE, one) - expected) < 1e-9);
  assert.ok(Math.abs(meterInPieces('flac', one, [1, 2, 3, 1000, 16]) - expected) < 1e-9);
  assert.ok(Math.abs(measureDuration('flac', RATE, Buffer.concat([one, one])) - 2 * expected) < 1e-9);
});

test('the meter agrees with what ffmpeg decodes', { skip: needs('ffmpeg') }, () => {
  const pcm = samples(RATE * 3 + 77);
  for (const [encoding, extension, container] of [['MP3', 'mp3', 'mp3'], ['OGG_OPUS', 'ogg', 'ogg_opus'], ['FLAC', 'flac', 'flac']] as const) {
    const bytes = encodeAll({ encoding, sampleRateHertz: RATE }, pcm);
    const measured = measureDuration(container, RATE, bytes);
    const decoded = ffmpegSeconds(bytes, extension);
    assert.ok(Math.abs(measured - decoded) < 0.005, `${encoding}: meter ${measured}, ffmpeg ${decoded}`);
  }
});
