// Fuzzing what the client reads from the network (issue 5, part 3): whatever bytes or JSON a
// server (or a broken proxy) sends, the decoders either understand it or fail with an
// InworldError the CLI can print in one line — never a TypeError or RangeError from deep inside.
// (The "any split gives the same values" NDJSON property is in core-ndjson.test.ts.)
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { InworldError, ProtocolError } from '../../src/core/errors.js';
import { NdjsonDecoder } from '../../src/core/ndjson.js';
import { decodeBase64Audio, parseStreamLine } from '../../src/tts/http-response.js';
import { parseTimestampInfo } from '../../src/tts/timestamps.js';
import { parseServerMessage as parseTtsMessage } from '../../src/tts/ws-protocol.js';
import { parseServerMessage as parseSttMessage } from '../../src/stt/protocol.js';
import { FuzzCounter, recordFigures } from '../faults/figures.js';

const fuzz = new FuzzCounter();
after(() => {
  console.log(`decoders: ${fuzz.total} inputs fuzzed (${JSON.stringify(fuzz.counts)})`);
  recordFigures('property-decoders', { 'inputs fuzzed (decoders)': fuzz.total });
});

/** Runs `fn`; an error must be an InworldError (of `kind` when given) with a one-line message. */
function onlyInworldErrors(fn: () => void, kind: new (...args: never[]) => InworldError = InworldError): void {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof kind, `threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
  }
}

/** JSON values shaped like what the APIs send, with every field allowed to be the wrong type. */
const anything = fc.anything({ maxDepth: 3, withNullPrototype: false });
const wireish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anything,
    fc.record(
      {
        result: tie('result'),
        error: fc.oneof(fc.constant(undefined), fc.record({ code: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), message: fc.oneof(fc.string(), fc.integer()) })),
      },
      { requiredKeys: [] },
    ),
  ),
  result: fc.record(
    {
      contextId: fc.oneof(fc.string(), fc.integer()),
      audioContent: fc.oneof(fc.base64String(), fc.string(), fc.integer(), fc.constant(null)),
      audioChunk: fc.oneof(anything, fc.record({ audioContent: fc.oneof(fc.base64String(), fc.string()), timestampInfo: anything })),
      timestampInfo: fc.oneof(anything, fc.record({ wordAlignment: fc.record({ words: anything, wordStartTimeSeconds: anything, wordEndTimeSeconds: anything }) })),
      status: fc.oneof(anything, fc.record({ code: fc.oneof(fc.integer(), fc.string()), message: anything })),
      usage: anything,
      transcription: fc.oneof(anything, fc.record({ transcript: anything, isFinal: anything, wordTimestamps: anything, voiceProfile: anything })),
      speechStarted: anything,
      speechStopped: anything,
      contextCreated: anything,
      flushCompleted: anything,
      contextClosed: anything,
    },
    { requiredKeys: [] },
  ),
})).value
  // Only what JSON can carry reaches a parser: no undefined, functions or symbols.
  .map((value) => JSON.parse(JSON.stringify(value) ?? 'null') as unknown);

test('property: NDJSON decoder on arbitrary bytes yields values or throws ProtocolError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat({ max: 400 }), { maxLength: 5 }), fuzz.counted('ndjson bytes', (bytes, cuts) => {
      const decoder = new NdjsonDecoder({ maxLineBytes: 128 });
      onlyInworldErrors(() => {
        let last = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          decoder.push(bytes.subarray(last, Math.max(last, cut)));
          last = Math.max(last, cut);
        }
        decoder.push(bytes.subarray(last));
        decoder.end();
      }, ProtocolError);
    })),
    { numRuns: 500 },
  );
});

test('property: NDJSON of arbitrary JSON lines decodes to exactly those values', () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }), fuzz.counted('ndjson values', (values) => {
      const text = values.map((value) => JSON.stringify(value)).join('\n');
      const decoder = new NdjsonDecoder();
      const out = [...decoder.push(Buffer.from(text)), ...decoder.end()];
      assert.deepEqual(out, JSON.parse(JSON.stringify(values)));
    })),
    { numRuns: 300 },
  );
});

test('property: a TTS stream line of any shape is parsed or is an InworldError', () => {
  fc.assert(
    fc.property(wireish, fuzz.counted('tts stream line', (value) => {
      onlyInworldErrors(() => {
        parseStreamLine(value, 'req-1');
      });
    })),
    { numRuns: 500 },
  );
});

test('property: base64 audio decodes, or is a ProtocolError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.base64String(), fc.string(), fc.anything()), fuzz.counted('base64', (value) => {
      onlyInworldErrors(() => {
        const audio = decodeBase64Audio(value);
        if (typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0) {
          const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
          assert.equal(audio.length, (value.length / 4) * 3 - padding);
        }
      }, ProtocolError);
    })),
    { numRuns: 500 },
  );
});

/** Parallel arrays of unequal length with odd entries, including 1e400 (JSON.parse gives Infinity). */
const times = fc.array(fc.oneof(fc.double({ noNaN: true }), fc.string(), fc.constant(null), fc.constant('1e400')), { maxLength: 6 });
const alignment = fc
  .record({
    wordAlignment: fc.record({ words: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 6 }), wordStartTimeSeconds: times, wordEndTimeSeconds: times }),
    characterAlignment: fc.record({ characters: fc.array(fc.string(), { maxLength: 6 }), characterStartTimeSeconds: times, characterEndTimeSeconds: times }),
  }, { requiredKeys: [] })
  .map((value) => JSON.parse(JSON.stringify(value).replace(/"1e400"/g, '1e400')) as unknown);

test('property: timestamp info of any JSON shape never throws, and times are finite', () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), wireish, alignment), fuzz.counted('timestamps', (value) => {
      const parsed = parseTimestampInfo(value);
      for (const list of Object.values(parsed ?? {})) {
        if (!Array.isArray(list)) continue;
        for (const item of list as Array<{ start?: unknown; end?: unknown }>) {
          for (const time of [item.start, item.end]) {
            if (typeof time === 'number') assert.ok(Number.isFinite(time), `a non-finite time ${time}`);
          }
        }
      }
    })),
    { numRuns: 500 },
  );
});

test('property: TTS and STT WebSocket frames of any text never throw', () => {
  const frame = fc.oneof(fc.string(), fc.json({ maxDepth: 3 }), wireish.map((value) => JSON.stringify(value) ?? 'null'));
  fc.assert(
    fc.property(frame, fuzz.counted('ws frames', (text) => {
      const tts = parseTtsMessage(text);
      assert.equal(typeof tts.kind, 'string');
      const stt = parseSttMessage(text);
      assert.equal(typeof stt.kind, 'string');
    })),
    { numRuns: 800 },
  );
});
