import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { ValidationError } from '../../src/core/errors.js';
import { openWavSource } from '../../src/audio/wav-source.js';
import { openRawPcmSource } from '../../src/audio/raw-source.js';
import { openFfmpegSource } from '../../src/audio/ffmpeg-source.js';
import { openWavFileSink } from '../../src/audio/file-sink.js';
import { wavHeader } from '../../src/audio/wav-writer.js';
import { needs } from '../helpers/needs.js';

interface Fmt {
  tag: number;
  channels: number;
  sampleRateHertz: number;
  bits: number;
  extensible?: boolean;
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

function fmtChunk(fmt: Fmt): Buffer {
  const blockAlign = (fmt.channels * fmt.bits) / 8;
  const body = Buffer.alloc(fmt.extensible ? 40 : 16);
  body.writeUInt16LE(fmt.extensible ? 0xfffe : fmt.tag, 0);
  body.writeUInt16LE(fmt.channels, 2);
  body.writeUInt32LE(fmt.sampleRateHertz, 4);
  body.writeUInt32LE(fmt.sampleRateHertz * blockAlign, 8);
  body.writeUInt16LE(blockAlign, 12);
  body.writeUInt16LE(fmt.bits, 14);
  if (fmt.extensible) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(fmt.bits, 18);
    body.writeUInt32LE(0, 20);
    body.writeUInt16LE(fmt.tag, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(body, 26);
  }
  return chunk('fmt ', body);
}

/** A WAV with extra chunks around fmt and data (odd sizes, so padding matters). */
function buildWav(fmt: Fmt, data: Buffer, options: { extra?: boolean; trailing?: boolean } = {}): Buffer {
  const parts = [
    options.extra ? chunk('LIST', Buffer.from('INFOISFT\x05\x00\x00\x00abcd\x00', 'latin1')) : Buffer.alloc(0),
    fmtChunk(fmt),
    options.extra ? chunk('fact', Buffer.from([1, 2, 3])) : Buffer.alloc(0),
    chunk('data', data),
    options.trailing ? chunk('id3 ', Buffer.from('trailing metadata')) : Buffer.alloc(0),
  ];
  const body = Buffer.concat([Buffer.from('WAVE'), ...parts]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

/** A stream that hands out `bytes` in chunks of the given sizes (cycled), to test re-chunking. */
function chunked(bytes: Buffer, sizes: number[]): Readable {
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(parts);
}

function int16(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => out.writeInt16LE(value, i * 2));
  return out;
}

test('16-bit mono passes through; LIST/fact chunks, odd padding and trailing chunks are skipped', async () => {
  const pcm = int16([0, 1, -1, 32767, -32768, 1234]);
  const wav = buildWav({ tag: 1, channels: 1, sampleRateHertz: 22050, bits: 16 }, pcm, { extra: true, trailing: true });
  const source = await openWavSource(chunked(wav, [1, 3, 7]));
  assert.equal(source.sampleRateHertz, 22050);
  assert.equal(source.info.dataBytes, pcm.length);
  assert.deepEqual(await collect(source), pcm);
});

test('every bit depth and float down-mixes to the same s16 mono', async () => {
  // Stereo frames (L, R) chosen to be exact in every format: mono = (L + R) / 2.
  const left = [0, 16384, -16384, 32512, -32768, 256];
  const right = [0, 16384, 0, 32512, -32768, -256];
  const expected = int16(left.map((l, i) => Math.round((l + right[i]!) / 2)));
  const frames = left.length;
  const encoders: Array<[string, Fmt, (value: number) => Buffer]> = [
    ['u8', { tag: 1, channels: 2, sampleRateHertz: 8000, bits: 8 }, (v) => Buffer.from([(v >> 8) + 128])],
    ['s16', { tag: 1, channels: 2, sampleRateHertz: 8000, bits: 16 }, (v) => int16([v])],
    ['s24', { tag: 1, channels: 2, sampleRateHertz: 8000, bits: 24 }, (v) => { const b = Buffer.alloc(3); b.writeIntLE(v * 256, 0, 3); return b; }],
    ['s32', { tag: 1, channels: 2, sampleRateHertz: 8000, bits: 32 }, (v) => { const b = Buffer.alloc(4); b.writeInt32LE(v * 65536); return b; }],
    ['f32', { tag: 3, channels: 2, sampleRateHertz: 8000, bits: 32 }, (v) => { const b = Buffer.alloc(4); b.writeFloatLE(v / 32768); return b; }],
    ['f64', { tag: 3, channels: 2, sampleRateHertz: 8000, bits: 64 }, (v) => { const b = Buffer.alloc(8); b.writeDoubleLE(v / 32768); return b; }],
    ['s24 extensible', { tag: 1, channels: 2, sampleRateHertz: 8000, bits: 24, extensible: true }, (v) => { const b = Buffer.alloc(3); b.writeIntLE(v * 256, 0, 3); return b; }],
    ['f32 extensible', { tag: 3, channels: 2, sampleRateHertz: 8000, bits: 32, extensible: true }, (v) => { const b = Buffer.alloc(4); b.writeFloatLE(v / 32768); return b; }],
  ];
  for (const [label, fmt, encode] of encoders) {
    const data = Buffer.concat(Array.from({ length: frames }, (_, i) => Buffer.concat([encode(left[i]!), encode(right[i]!)])));
    const wav = buildWav(fmt, data, { extra: true });
    const source = await openWavSource(chunked(wav, [5, 2, 11]), { name: label });
    const out = await collect(source);
    // u8 has 8 bits of resolution: its samples are multiples of 256 by construction above.
    assert.deepEqual(out, expected, label);
  }
});

test('float samples beyond ±1 are clipped, not wrapped', async () => {
  const data = Buffer.alloc(8);
  data.writeFloatLE(1.5, 0);
  data.writeFloatLE(-2, 4);
  const out = await collect(await openWavSource(Readable.from([buildWav({ tag: 3, channels: 1, sampleRateHertz: 8000, bits: 32 }, data)])));
  assert.deepEqual(out, int16([32767, -32768]));
});

test('µ-law and A-law WAV decode exactly as ffmpeg decodes all 256 codes', { skip: needs('ffmpeg') }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-wav-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const codes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  writeFileSync(join(dir, 'codes.raw'), codes);
  // One ffmpeg run decodes both tables (ffmpeg start-up dominates this test's time).
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-y',
    '-f', 'mulaw', '-ar', '8000', '-ac', '1', '-i', join(dir, 'codes.raw'),
    '-f', 'alaw', '-ar', '8000', '-ac', '1', '-i', join(dir, 'codes.raw'),
    '-map', '0:a', '-f', 's16le', join(dir, 'mulaw.s16'),
    '-map', '1:a', '-f', 's16le', join(dir, 'alaw.s16'),
  ]);
  for (const [tag, file] of [[7, 'mulaw.s16'], [6, 'alaw.s16']] as const) {
    const wav = buildWav({ tag, channels: 1, sampleRateHertz: 8000, bits: 8 }, codes, { extra: true });
    assert.deepEqual(await collect(await openWavSource(Readable.from([wav]))), readFileSync(join(dir, file)), file);
  }
});

test('round trip: our WAV file sink, then our reader, for any PCM and chunking', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-wav-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 500 }),
      fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
      async (samples, sizes) => {
        const pcm = int16(samples);
        const path = join(dir, `r${run++}.wav`);
        const sink = await openWavFileSink(path, { sampleRateHertz: 16000, channels: 1, bitsPerSample: 16 });
        for (let at = 0, i = 0; at < pcm.length; i++) {
          const size = sizes[i % sizes.length]!;
          await sink.write(pcm.subarray(at, at + size));
          at += size;
        }
        await sink.end();
        const file = readFileSync(path);
        assert.deepEqual(await collect(await openWavSource(chunked(file, sizes))), pcm);
        assert.deepEqual(await collect(await openWavSource(path)), pcm);
      },
    ),
    { numRuns: 60 },
  );
});

test('a streaming header (unknown sizes) reads to the end of the stream', async () => {
  const pcm = int16([5, 6, 7]);
  const header = wavHeader({ sampleRateHertz: 24000, channels: 1, bitsPerSample: 16, dataBytes: 0 });
  header.writeUInt32LE(0xffffffff, 4);
  header.writeUInt32LE(0xffffffff, 40);
  assert.deepEqual(await collect(await openWavSource(Readable.from([header, pcm]))), pcm);
});

function assertValidation(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ValidationError, String(error));
    assert.match(error.message, pattern);
    return true;
  };
}

test('garbage, empty, and unsupported inputs are ValidationErrors naming the problem', async () => {
  await assert.rejects(openWavSource(Readable.from([Buffer.from('ID3\x03 this is an mp3')]), { name: 'x.mp3' }), assertValidation(/x\.mp3 is not a WAV file \(no RIFF\/WAVE header\)/));
  await assert.rejects(openWavSource(Readable.from([]), { name: 'e.wav' }), assertValidation(/not a WAV file \(it is empty\)/));
  await assert.rejects(openWavSource(Readable.from([Buffer.from('RIFF')])), assertValidation(/too short/));
  const noData = buildWav({ tag: 1, channels: 1, sampleRateHertz: 8000, bits: 16 }, Buffer.alloc(0)).subarray(0, 36);
  await assert.rejects(openWavSource(Readable.from([noData])), assertValidation(/no data chunk/));
  const adpcm = buildWav({ tag: 2, channels: 1, sampleRateHertz: 8000, bits: 4 }, Buffer.alloc(4));
  await assert.rejects(openWavSource(Readable.from([adpcm])), assertValidation(/WAV format 0x0002/));
  const zeroChannels = buildWav({ tag: 1, channels: 0, sampleRateHertz: 8000, bits: 16 }, Buffer.alloc(4));
  await assert.rejects(openWavSource(Readable.from([zeroChannels])), assertValidation(/0 channels/));
  const cutHeader = buildWav({ tag: 1, channels: 1, sampleRateHertz: 8000, bits: 16 }, Buffer.alloc(4)).subarray(0, 20);
  await assert.rejects(openWavSource(Readable.from([cutHeader])), assertValidation(/truncated|no fmt/));
  await assert.rejects(openWavSource('/nonexistent/file.wav'), assertValidation(/no such file/));
});

test('truncated data: a file fails before streaming, a stream fails at its end', async (t) => {
  const wav = buildWav({ tag: 1, channels: 1, sampleRateHertz: 8000, bits: 16 }, int16([1, 2, 3, 4, 5, 6]));
  const cut = wav.subarray(0, wav.length - 4);
  await assert.rejects(collect(await openWavSource(Readable.from([cut]))), assertValidation(/truncated WAV file \(its data chunk declares 12 bytes but only 8/));
  const dir = mkdtempSync(join(tmpdir(), 'inworld-wav-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'cut.wav'), cut);
  await assert.rejects(openWavSource(join(dir, 'cut.wav')), assertValidation(/cut\.wav is a truncated WAV file/));
});

test('close() stops iteration early and releases the file', async () => {
  const wav = buildWav({ tag: 1, channels: 1, sampleRateHertz: 8000, bits: 16 }, Buffer.alloc(200_000));
  const stream = chunked(wav, [1000]);
  const source = await openWavSource(stream);
  let chunks = 0;
  for await (const part of source) {
    assert.ok(part.length > 0);
    if (++chunks === 3) source.close();
  }
  assert.ok(chunks >= 3 && chunks < 10);
  assert.equal(stream.destroyed, true);
});

test('raw s16le source down-mixes stereo and re-aligns split frames', async () => {
  const stereo = int16([100, 300, -100, -300, 7, 8]);
  const source = openRawPcmSource(chunked(stereo, [3, 1, 5]), { sampleRateHertz: 16000, channels: 2 });
  assert.equal(source.sampleRateHertz, 16000);
  assert.deepEqual(await collect(source), int16([200, -200, 8]));
});

test('ffmpeg source decodes other formats; a bad file is a clear ValidationError', { skip: needs('ffmpeg') }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-ff-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A 48 kHz stereo WAV written by hand: ffmpeg reads it like any other format.
  const frames = 24000;
  const stereo = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(10000 * Math.sin((2 * Math.PI * 300 * i) / 48000));
    stereo.writeInt16LE(value, i * 4);
    stereo.writeInt16LE(value, i * 4 + 2);
  }
  const flac = join(dir, 'tone.wav');
  writeFileSync(flac, Buffer.concat([wavHeader({ sampleRateHertz: 48000, channels: 2, bitsPerSample: 16, dataBytes: stereo.length }), stereo]));
  const decoded = await collect(openFfmpegSource(flac, { sampleRateHertz: 16000 }));
  assert.ok(Math.abs(decoded.length - 16000) <= 64, `got ${decoded.length} bytes for 0.5 s at 16 kHz`);
  let peak = 0;
  for (let i = 0; i < decoded.length; i += 2) peak = Math.max(peak, Math.abs(decoded.readInt16LE(i)));
  assert.ok(peak > 9000 && peak < 11000, `decoded peak ${peak}`);

  const bad = join(dir, 'bad.mp3');
  writeFileSync(bad, 'not audio at all');
  await assert.rejects(collect(openFfmpegSource(bad)), assertValidation(/ffmpeg could not decode .*bad\.mp3/));
});

test('a missing ffmpeg is a clear ValidationError naming the fix', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'inworld-ff-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const mp3 = join(dir, 'speech.mp3');
  writeFileSync(mp3, 'not WAV');
  assert.throws(() => openFfmpegSource(mp3, { env: { PATH: dir } }), (error: unknown) => {
    assert.ok(error instanceof ValidationError);
    assert.match(error.hint ?? '', /Install ffmpeg or convert the file to WAV/);
    return true;
  });
});

test('memory stays flat: 24 MB of stereo WAV streams through with bounded heap growth', async () => {
  const CHUNK_BYTES = 64 * 1024;
  const CHUNKS = 384; // 24 MiB of sample data
  const header = wavHeader({ sampleRateHertz: 48000, channels: 2, bitsPerSample: 16, dataBytes: CHUNK_BYTES * CHUNKS });
  const block = Buffer.alloc(CHUNK_BYTES, 0x11);
  async function* bytes(): AsyncGenerator<Buffer> {
    yield header;
    for (let i = 0; i < CHUNKS; i++) yield Buffer.from(block);
  }
  // A real collection before each sample, so only live memory is counted.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage();
  let peakExternal = 0;
  let total = 0;
  for await (const part of await openWavSource(Readable.from(bytes()))) {
    total += part.length;
    if (total % (32 * CHUNK_BYTES) === 0) {
      gc();
      const now = process.memoryUsage();
      peakExternal = Math.max(peakExternal, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }
  }
  assert.equal(total, (CHUNK_BYTES * CHUNKS) / 2);
  // Holding the input would take 24 MB (12 MB of output); streaming keeps a few chunks.
  assert.ok(peakExternal < 8 * 1024 * 1024, `memory grew by ${(peakExternal / 1048576).toFixed(1)} MB`);
});
