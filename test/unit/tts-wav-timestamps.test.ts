import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, ServerError } from '../../src/core/errors.js';
import { AudioAssembler } from '../../src/tts/audio-assembler.js';
import { decodeBase64Audio, parseStreamLine } from '../../src/tts/http-response.js';
import { lastEndSeconds, offsetTimestamps, parseTimestampInfo } from '../../src/tts/timestamps.js';
import { parseWavHeader, stripWavHeader } from '../../src/audio/wav-reader.js';

/** A canonical WAV header (optionally with a LIST chunk before data) followed by `data`. */
function wav(data: Buffer, { rate = 16000, channels = 1, list = false } = {}): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * 2 * channels, 16);
  fmt.writeUInt16LE(2 * channels, 20);
  fmt.writeUInt16LE(16, 22);
  const extra = list ? Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]) : Buffer.alloc(0);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'latin1');
  dataHead.writeUInt32LE(data.length, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + fmt.length + extra.length + 8 + data.length, 4);
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, fmt, extra, dataHead, data]);
}

test('parseWavHeader reads a canonical 44-byte header', () => {
  const info = parseWavHeader(wav(Buffer.alloc(10)));
  assert.deepEqual(info, { formatTag: 1, channels: 1, sampleRateHertz: 16000, bitsPerSample: 16, blockAlign: 2, dataOffset: 44, dataBytes: 10 });
});

test('stripWavHeader walks extra chunks instead of cutting 44 bytes blindly', () => {
  const audio = Buffer.from([1, 2, 3, 4]);
  const stripped = stripWavHeader(wav(audio, { list: true }));
  assert.deepEqual([...stripped.audio], [1, 2, 3, 4]);
  assert.ok(stripped.wav!.dataOffset > 44);
});

test('raw PCM that does not start with RIFF/WAVE is left alone; a header-only fragment yields nothing', () => {
  const raw = Buffer.from('RIFFxxxxNOPE-and-more-bytes');
  assert.equal(stripWavHeader(raw).audio, raw);
  const fragment = wav(Buffer.alloc(0)).subarray(0, 30);
  assert.deepEqual(stripWavHeader(fragment), { audio: Buffer.alloc(0), headerOnly: true });
});

test('AudioAssembler strips every LINEAR16 header, keeps samples whole, and counts duration', () => {
  const assembler = new AudioAssembler('LINEAR16', 24000);
  const a = assembler.push(wav(Buffer.from([1, 2, 3]), { rate: 16000 }));
  assert.deepEqual([...a], [1, 2]);
  const b = assembler.push(wav(Buffer.from([4, 5, 6]), { rate: 16000 }));
  assert.deepEqual([...b], [3, 4, 5, 6]);
  assert.equal(assembler.sampleRateHertz, 16000, 'the header rate wins');
  assert.equal(assembler.bytes, 6);
  assert.equal(assembler.durationSeconds(), 6 / 32000);
  const mp3 = new AudioAssembler('MP3', 24000);
  const frame = Buffer.from([0xff, 0xfb, 0x90, 0x00]);
  assert.equal(mp3.push(frame), frame);
  assert.equal(mp3.durationSeconds(), 0, 'a frame header alone is no audio yet');
});

test('WAV encoding: header only on the first chunk, later chunks untouched', () => {
  const assembler = new AudioAssembler('WAV', 24000);
  assert.deepEqual([...assembler.push(wav(Buffer.from([1, 2]), { rate: 24000 }))], [1, 2]);
  assert.deepEqual([...assembler.push(Buffer.from([3, 4, 5, 6]))], [3, 4, 5, 6]);
});

test('decodeBase64Audio is strict', () => {
  assert.deepEqual([...decodeBase64Audio('AQID')], [1, 2, 3]);
  assert.deepEqual([...decodeBase64Audio('AQI=')], [1, 2]);
  assert.deepEqual([...decodeBase64Audio('AQ')], [1]);
  assert.throws(() => decodeBase64Audio('not base64!'), ProtocolError);
  assert.throws(() => decodeBase64Audio('AAAAA'), ProtocolError);
  assert.throws(() => decodeBase64Audio(42), ProtocolError);
});

test('parseStreamLine: results, timestamp-only lines, error lines raised, unknown lines ignored', () => {
  const line = parseStreamLine({ result: { audioContent: 'AQID', usage: { processedCharactersCount: 5, modelId: 'm' } } }, 'r1');
  assert.deepEqual([...line!.audio!], [1, 2, 3]);
  assert.deepEqual(line!.usage, { processedCharactersCount: 5, modelId: 'm' });
  const ts = parseStreamLine(
    { result: { timestampInfo: { wordAlignment: { words: ['Hi', 'there.'], wordStartTimeSeconds: [0, 0.2], wordEndTimeSeconds: [0.19, 0.5] } } } },
    'r1',
  );
  assert.equal(ts!.audio, undefined);
  assert.deepEqual(ts!.timestamps!.words, [
    { text: 'Hi', start: 0, end: 0.19 },
    { text: 'there.', start: 0.2, end: 0.5 },
  ]);
  assert.throws(
    () => parseStreamLine({ error: { code: 13, message: 'internal error', details: [] } }, 'r1'),
    (error: unknown) => error instanceof ServerError && error.grpcCode === 13 && error.requestId === 'r1' && /internal error/.test(error.message),
  );
  assert.equal(parseStreamLine({ somethingElse: true }, 'r1'), undefined);
  assert.throws(() => parseStreamLine([1, 2], 'r1'), ProtocolError);
});

test('timestamps: parallel arrays zipped tolerantly, offset, last end', () => {
  const parsed = parseTimestampInfo({
    wordAlignment: { words: ['a', 'b', 'c'], wordStartTimeSeconds: [0, 0.5], wordEndTimeSeconds: [0.4, 0.9, 1.2] },
    characterAlignment: { characters: ['a', 'b'], characterStartTimeSeconds: [0, 'x'], characterEndTimeSeconds: [0.1, 0.2] },
  })!;
  assert.deepEqual(parsed.words, [
    { text: 'a', start: 0, end: 0.4 },
    { text: 'b', start: 0.5, end: 0.9 },
  ]);
  assert.deepEqual(parsed.characters, [{ text: 'a', start: 0, end: 0.1 }]);
  assert.equal(lastEndSeconds(parsed), 0.9);
  assert.deepEqual(offsetTimestamps(parsed, 2).words![1], { text: 'b', start: 2.5, end: 2.9 });
  assert.equal(parseTimestampInfo({}), undefined);
  assert.equal(parseTimestampInfo(null), undefined);
});
