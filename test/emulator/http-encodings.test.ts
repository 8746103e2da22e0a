// Audio bytes per encoding (protocol §2.3, §2.5): container headers on the unary endpoint, per-chunk
// framing on :stream, and validity of MP3 / Ogg Opus / FLAC through ffmpeg when it is installed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { audioOf, ffmpegDecode, ffprobe, post, samplesOf, start, streamLines, ttsBody, wavHeader, readJson } from './http-support.js';
import { needs } from '../helpers/needs.js';

let emulator: RunningEmulator;
before(async () => {
  emulator = await start({ streamChunkMs: 100 });
});
after(() => emulator.close());

const TEXT = 'The quick brown fox jumps over the lazy dog. Then it rests!';

/** Shorter text for the slow codecs (lamejs encodes at a few times real time). */
const SHORT_TEXT = 'Quick brown fox. Lazy dog!';

async function unary(audio: Record<string, unknown>, text = TEXT): Promise<Buffer> {
  const response = await post(emulator, '/tts/v1/voice', ttsBody({ text }, audio));
  assert.equal(response.status, 200);
  return Buffer.from((await readJson(response)).audioContent, 'base64');
}

async function streamed(audio: Record<string, unknown>, text = TEXT): Promise<Buffer[]> {
  const response = await post(emulator, '/tts/v1/voice:stream', ttsBody({ text }, audio));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  const chunks = audioOf(await streamLines(response));
  assert.ok(chunks.length > 1, 'expected several chunks');
  return chunks;
}

test('PCM: raw even-length chunks that concatenate to the unary audio', async () => {
  const whole = await unary({ audioEncoding: 'PCM', sampleRateHertz: 16000 });
  assert.notEqual(whole.toString('ascii', 0, 4), 'RIFF');
  assert.equal(whole.length % 2, 0);
  const chunks = await streamed({ audioEncoding: 'PCM', sampleRateHertz: 16000 });
  for (const chunk of chunks) assert.equal(chunk.length % 2, 0);
  assert.ok(Buffer.concat(chunks).equals(whole));
});

test('LINEAR16 unary: one WAV file with true sizes', async () => {
  const whole = await unary({ audioEncoding: 'LINEAR16', sampleRateHertz: 24000 });
  const header = wavHeader(whole);
  assert.deepEqual(
    { ...header },
    { riff: 'RIFF', riffSize: whole.length - 8, wave: 'WAVE', format: 1, channels: 1, sampleRateHertz: 24000, byteRate: 48000, blockAlign: 2, bitsPerSample: 16, dataTag: 'data', dataSize: whole.length - 44 },
  );
});

test('LINEAR16 stream: every chunk is a complete WAV with its own sizes, never header-only', async () => {
  const chunks = await streamed({ audioEncoding: 'LINEAR16', sampleRateHertz: 16000 });
  const pcm = await unary({ audioEncoding: 'PCM', sampleRateHertz: 16000 });
  const bodies: Buffer[] = [];
  for (const chunk of chunks) {
    assert.ok(chunk.length > 44, 'a chunk with only a header');
    const header = wavHeader(chunk);
    assert.equal(header.riff, 'RIFF');
    assert.equal(header.dataSize, chunk.length - 44);
    assert.equal(header.riffSize, chunk.length - 8);
    assert.equal(header.sampleRateHertz, 16000);
    bodies.push(chunk.subarray(44));
  }
  assert.ok(Buffer.concat(bodies).equals(pcm), 'stripped chunks must equal the PCM audio');
});

test('WAV stream: one header on the first chunk only, with the true total size', async () => {
  const chunks = await streamed({ audioEncoding: 'WAV', sampleRateHertz: 16000 });
  const file = Buffer.concat(chunks);
  const header = wavHeader(file);
  assert.equal(header.riff, 'RIFF');
  assert.equal(header.dataSize, file.length - 44);
  for (const chunk of chunks.slice(1)) assert.notEqual(chunk.toString('ascii', 0, 4), 'RIFF');
  const whole = await unary({ audioEncoding: 'WAV', sampleRateHertz: 16000 });
  assert.ok(file.equals(whole), 'streamed WAV must equal the unary WAV');
});

test('MULAW and ALAW: one byte per 8 kHz sample, no header, and they decode close to the PCM', { skip: needs('ffmpeg') }, async () => {
  const pcm = samplesOf(await unary({ audioEncoding: 'PCM', sampleRateHertz: 8000 }));
  for (const [encoding, format] of [['MULAW', 'mulaw'], ['ALAW', 'alaw']] as const) {
    const bytes = await unary({ audioEncoding: encoding, sampleRateHertz: 8000 });
    assert.equal(bytes.length, pcm.length, encoding);
    assert.notEqual(bytes.toString('ascii', 0, 4), 'RIFF');
    const decoded = samplesOf(ffmpegDecode(bytes, 'raw', ['-f', format, '-ar', '8000', '-ac', '1']).pcm);
    assert.equal(decoded.length, pcm.length);
    let maxError = 0;
    let peak = 0;
    for (let i = 0; i < pcm.length; i++) {
      maxError = Math.max(maxError, Math.abs(decoded[i]! - pcm[i]!));
      peak = Math.max(peak, Math.abs(pcm[i]!));
    }
    assert.ok(peak > 1000, 'the audio is not silent');
    // G.711's step is at most 1/16 of the segment: well under 5% of the peak for this signal.
    assert.ok(maxError < peak * 0.05, `${encoding} error ${maxError} vs peak ${peak}`);
  }
});

for (const [encoding, extension, codec, rate] of [
  ['MP3', 'mp3', 'mp3', 24000],
  ['MP3', 'mp3', 'mp3', 44100],
  ['OGG_OPUS', 'ogg', 'opus', 48000],
  ['OGG_OPUS', 'ogg', 'opus', 22050],
  ['FLAC', 'flac', 'flac', 24000],
  ['FLAC', 'flac', 'flac', 11025],
] as const) {
  test(`${encoding} at ${rate} Hz: unary and concatenated stream chunks are valid files`, { skip: needs('ffmpeg', 'ffprobe') }, async () => {
    const whole = await unary({ audioEncoding: encoding, sampleRateHertz: rate, bitRate: 64000 }, SHORT_TEXT);
    const chunks = await streamed({ audioEncoding: encoding, sampleRateHertz: rate, bitRate: 64000 }, SHORT_TEXT);
    const pcmSeconds = (await unary({ audioEncoding: 'PCM', sampleRateHertz: 16000 }, SHORT_TEXT)).length / 2 / 16000;
    for (const [label, file] of [['unary', whole], ['stream', Buffer.concat(chunks)]] as const) {
      const decoded = ffmpegDecode(file, extension);
      assert.equal(decoded.status, 0, `${label}: ${decoded.errors}`);
      assert.equal(decoded.errors, '', `${label}: ffmpeg reported ${decoded.errors}`);
      const info = ffprobe(file, extension);
      assert.equal(info.codec, codec);
      // Within one MP3 frame / Opus frame of the PCM duration.
      assert.ok(Math.abs(info.duration - pcmSeconds) < 0.08, `${label}: ${info.duration}s vs ${pcmSeconds}s`);
    }
    if (encoding === 'OGG_OPUS') {
      assert.equal(whole.toString('ascii', 0, 4), 'OggS');
      assert.equal(whole.toString('ascii', 28, 36), 'OpusHead');
    }
  });
}

test('FLAC is lossless: decoding gives back exactly the PCM samples', { skip: needs('ffmpeg') }, async () => {
  const pcm = await unary({ audioEncoding: 'PCM', sampleRateHertz: 22050 });
  const flac = await unary({ audioEncoding: 'FLAC', sampleRateHertz: 22050 });
  assert.equal(flac.toString('ascii', 0, 4), 'fLaC');
  const decoded = ffmpegDecode(flac, 'flac');
  assert.equal(decoded.errors, '');
  assert.ok(decoded.pcm.equals(pcm));
});

test('the synthetic engine is deterministic and voices differ', async () => {
  const a = await unary({ audioEncoding: 'PCM', sampleRateHertz: 16000 });
  const b = await unary({ audioEncoding: 'PCM', sampleRateHertz: 16000 });
  assert.ok(a.equals(b));
  const response = await post(emulator, '/tts/v1/voice', ttsBody({ text: TEXT, voiceId: 'Dennis' }, { audioEncoding: 'PCM', sampleRateHertz: 16000 }));
  const dennis = Buffer.from((await readJson(response)).audioContent, 'base64');
  assert.ok(!dennis.equals(a));
});

test('the default encoding is MP3 at 48 kHz', { skip: needs('ffprobe') }, async () => {
  const response = await post(emulator, '/tts/v1/voice', { text: 'Hi there.', voiceId: 'Ashley', modelId: 'inworld-tts-2' });
  const audio = Buffer.from((await readJson(response)).audioContent, 'base64');
  const info = ffprobe(audio, 'mp3');
  assert.equal(info.codec, 'mp3');
  assert.equal(info.sampleRateHertz, 48000);
});
