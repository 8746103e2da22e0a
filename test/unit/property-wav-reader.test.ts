// Fuzzing the WAV reader (issue 5, part 3): any byte string, in any chunking, either parses (and
// then streams to its end) or fails with a ValidationError — never another error, never a hang.
// The round trip (our writer, then our reader) is already a property in audio-wav-source.test.ts.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { ValidationError } from '../../src/core/errors.js';
import { openWavSource } from '../../src/audio/wav-source.js';
import { wavHeader } from '../../src/audio/wav-writer.js';
import { FuzzCounter, recordFigures } from '../faults/figures.js';

const fuzz = new FuzzCounter();
/** No single input may take longer than this to parse or fail. */
const HANG_MS = 2000;
/** Enough audio for any input here; a reader yielding more would be inventing data. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

after(() => {
  console.log(`WAV reader: ${fuzz.total} inputs fuzzed (${JSON.stringify(fuzz.counts)})`);
  recordFigures('property-wav-reader', { 'inputs fuzzed (WAV reader)': fuzz.total });
});

function chunked(bytes: Uint8Array, sizes: number[]): Readable {
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = Math.max(1, sizes.length > 0 ? sizes[i % sizes.length]! : bytes.length);
    parts.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  return Readable.from(parts);
}

type Result = { kind: 'parsed'; bytes: number } | { kind: 'validation'; message: string };

async function readAll(bytes: Uint8Array, sizes: number[]): Promise<Result> {
  const work = (async (): Promise<Result> => {
    try {
      const source = await openWavSource(chunked(bytes, sizes), { name: 'fuzz.wav' });
      let total = 0;
      for await (const part of source) {
        total += part.length;
        if (total > MAX_OUTPUT_BYTES) throw new Error(`the reader produced ${total} bytes from a ${bytes.length}-byte input`);
      }
      return { kind: 'parsed', bytes: total };
    } catch (error) {
      if (error instanceof ValidationError) return { kind: 'validation', message: error.message };
      throw error;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms for ${Buffer.from(bytes).toString('hex').slice(0, 200)}`)), HANG_MS);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

const splits = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 6 });

test('property: random bytes are parsed or refused with a ValidationError', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), splits, fuzz.counted('random bytes', async (bytes, sizes) => {
      const result = await readAll(bytes, sizes);
      if (result.kind === 'validation') assert.ok(result.message.length > 0);
    })),
    { numRuns: 400 },
  );
});

test('property: a RIFF/WAVE prefix followed by random chunks', async () => {
  const chunkArb = fc.record({
    id: fc.constantFrom('fmt ', 'data', 'LIST', 'fact', 'JUNK', 'ds64', '\0\0\0\0'),
    size: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(0xffffffff, 0x7fffffff, 0xfffffffe, 1_000_000)),
    body: fc.uint8Array({ maxLength: 48 }),
  });
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('RIFF', 'RF64', 'RIFX'), fc.array(chunkArb, { maxLength: 5 }), splits, fuzz.counted('RIFF + random chunks', async (magic, chunks, sizes) => {
      const parts: Buffer[] = [Buffer.from('WAVE', 'latin1')];
      for (const chunk of chunks) {
        const header = Buffer.alloc(8);
        header.write(chunk.id, 0, 'latin1');
        header.writeUInt32LE(chunk.size >>> 0, 4);
        parts.push(header, Buffer.from(chunk.body));
      }
      const body = Buffer.concat(parts);
      const riff = Buffer.alloc(8);
      riff.write(magic, 0, 'latin1');
      riff.writeUInt32LE(body.length, 4);
      await readAll(Buffer.concat([riff, body]), sizes);
    })),
    { numRuns: 400 },
  );
});

test('property: a valid WAV with bytes overwritten and the end cut off', async () => {
  const format = fc.record({
    sampleRateHertz: fc.integer({ min: 1, max: 200_000 }),
    channels: fc.integer({ min: 1, max: 8 }),
    samples: fc.integer({ min: 0, max: 400 }),
  });
  const edits = fc.array(fc.record({ at: fc.nat({ max: 60 }), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 });
  await fc.assert(
    fc.asyncProperty(format, edits, fc.option(fc.nat()), splits, fuzz.counted('mutated valid WAV', async (fmt, changes, cut, sizes) => {
      const data = Buffer.alloc(fmt.samples * fmt.channels * 2, 0x11);
      const bytes = Buffer.concat([wavHeader({ sampleRateHertz: fmt.sampleRateHertz, channels: fmt.channels, bitsPerSample: 16, dataBytes: data.length }), data]);
      for (const change of changes) if (change.at < bytes.length) bytes[change.at] = change.value;
      const input = cut === null ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      const result = await readAll(input, sizes);
      if (changes.length === 0 && cut === null) assert.equal(result.kind, 'parsed', 'an untouched WAV parses');
    })),
    { numRuns: 400 },
  );
});
