// The WAV header reader on its own: the same header however it is cut into chunks, big chunks
// skipped without holding them, and the reason when the input ends inside the header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WavHeaderParser, looksLikeWav, parseWavHeader, stripWavHeader } from '../../src/audio/wav-reader.js';
import { streamingWavHeader, wavHeader } from '../../src/audio/wav-writer.js';

const FORMAT = { sampleRateHertz: 22050, channels: 2, bitsPerSample: 16 };

function riffChunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

/** Our 44-byte header with a LIST (odd size, padded) and a fact chunk put before its data chunk. */
function headerWithExtras(dataBytes: number): Buffer {
  const plain = wavHeader({ ...FORMAT, dataBytes });
  return Buffer.concat([plain.subarray(0, 36), riffChunk('LIST', Buffer.from('INFOabc')), riffChunk('fact', Buffer.alloc(4)), plain.subarray(36)]);
}

function feed(parser: WavHeaderParser, bytes: Buffer, sizes: number[]) {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    const step = parser.push(bytes.subarray(at, at + size));
    at += size;
    if (step.state !== 'more') return { step, consumed: Math.min(at, bytes.length) };
  }
  return { step: { state: 'more' as const }, consumed: bytes.length };
}

test('the header is the same however the bytes are cut, and the audio after it is handed back', () => {
  const audio = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const file = Buffer.concat([headerWithExtras(audio.length), audio]);
  const whole = parseWavHeader(file)!;
  assert.deepEqual(whole, { formatTag: 1, channels: 2, sampleRateHertz: 22050, bitsPerSample: 16, blockAlign: 4, dataOffset: file.length - audio.length, dataBytes: 8 });
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 8 }), (sizes) => {
      const { step, consumed } = feed(new WavHeaderParser(), file, sizes);
      assert.equal(step.state, 'header');
      if (step.state !== 'header') return;
      assert.deepEqual(step.info, whole);
      // The rest of the chunk that ended the header, then the bytes not yet fed: all the audio.
      assert.deepEqual(Buffer.concat([step.rest, file.subarray(consumed)]), audio);
    }),
  );
});

test('a large chunk before the data is counted past, never held', () => {
  const plain = wavHeader({ ...FORMAT, dataBytes: 4 });
  const listHeader = Buffer.alloc(8);
  listHeader.write('LIST', 0, 'latin1');
  const listBytes = 64 * 1024 * 1024;
  listHeader.writeUInt32LE(listBytes, 4);
  const parser = new WavHeaderParser();
  assert.equal(parser.push(Buffer.concat([plain.subarray(0, 36), listHeader])).state, 'more');
  // The same 1 MB buffer fed 64 times: if the parser kept what it skips, this would hold 64 MB.
  const block = Buffer.alloc(1024 * 1024);
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < listBytes / block.length; i++) assert.equal(parser.push(block).state, 'more');
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, 'the skipped chunk was not buffered');
  const step = parser.push(Buffer.concat([plain.subarray(36), Buffer.from([9, 9, 9, 9])]));
  assert.equal(step.state, 'header');
  if (step.state === 'header') {
    assert.equal(step.info.dataOffset, 36 + 8 + listBytes + 8);
    assert.deepEqual([...step.rest], [9, 9, 9, 9]);
  }
});

test('a streaming header (unknown sizes) has no data length; RF64 neither', () => {
  assert.equal(parseWavHeader(streamingWavHeader(FORMAT))!.dataBytes, undefined);
  const rf64 = Buffer.from(wavHeader({ ...FORMAT, dataBytes: 10 }));
  rf64.write('RF64', 0, 'latin1');
  assert.ok(looksLikeWav(rf64));
  assert.equal(parseWavHeader(rf64)!.dataBytes, undefined);
});

test('input that ends inside the header says why', () => {
  const header = headerWithExtras(0);
  const endAfter = (bytes: Buffer) => {
    const parser = new WavHeaderParser();
    if (bytes.length > 0) assert.equal(parser.push(bytes).state, 'more');
    return parser.endProblem();
  };
  assert.deepEqual(endAfter(Buffer.alloc(0)), { kind: 'not-wav', why: 'it is empty' });
  assert.deepEqual(endAfter(header.subarray(0, 8)), { kind: 'not-wav', why: 'too short for a RIFF header' });
  assert.deepEqual(endAfter(header.subarray(0, 12)), { kind: 'not-wav', why: 'no fmt chunk' });
  assert.deepEqual(endAfter(header.subarray(0, 30)), { kind: 'truncated' });
  assert.deepEqual(endAfter(header.subarray(0, 40)), { kind: 'no-data' });
  const notWav = new WavHeaderParser().push(Buffer.from('ID3\x03 and then an mp3'));
  assert.deepEqual(notWav, { state: 'bad', problem: { kind: 'not-wav', why: 'no RIFF/WAVE header' } });
});

test('a rejected format stops the walk at its fmt chunk', () => {
  const parser = new WavHeaderParser({
    onFormat: (format) => {
      throw new Error(`rejected ${format.sampleRateHertz}`);
    },
  });
  assert.throws(() => parser.push(wavHeader({ ...FORMAT, dataBytes: 0 })), /rejected 22050/);
});

test('stripWavHeader: a header split off its data yields nothing; raw PCM is untouched', () => {
  const header = headerWithExtras(4);
  assert.deepEqual(stripWavHeader(header.subarray(0, 40)), { audio: Buffer.alloc(0), headerOnly: true });
  const raw = Buffer.from([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(stripWavHeader(raw).audio, raw);
  assert.deepEqual([...stripWavHeader(Buffer.concat([header, Buffer.from([5, 6, 7, 8])])).audio], [5, 6, 7, 8]);
});
