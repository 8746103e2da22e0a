import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../src/core/errors.js';
import { NdjsonDecoder, decodeNdjson } from '../../src/core/ndjson.js';

function feed(bytes: Buffer, cuts: number[]): unknown[] {
  const decoder = new NdjsonDecoder();
  const out: unknown[] = [];
  let last = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...decoder.push(bytes.subarray(last, cut)));
    last = cut;
  }
  out.push(...decoder.push(bytes.subarray(last)), ...decoder.end());
  return out;
}

const jsonValue = fc.oneof(
  fc.record({ result: fc.record({ audioContent: fc.base64String(), n: fc.integer() }) }),
  fc.record({ text: fc.string({ unit: 'grapheme' }) }),
  fc.record({ emoji: fc.constantFrom('😀', 'naïve', '日本語', 'a\u2028b') }),
);

test('property: any split of the byte stream gives the same values (mid-line, mid-UTF-8)', () => {
  fc.assert(
    fc.property(
      fc.array(jsonValue, { maxLength: 8 }),
      fc.constantFrom('\n', '\r\n'),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 12 }),
      (values, eol, blankLines, rawCuts) => {
        const text = values.map((v) => JSON.stringify(v) + eol + (blankLines ? eol : '')).join('');
        const bytes = Buffer.from(text, 'utf8');
        const cuts = rawCuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1)));
        assert.deepEqual(feed(bytes, cuts), JSON.parse(JSON.stringify(values)));
      },
    ),
    { numRuns: 400 },
  );
});

test('one byte at a time through a multi-byte character', () => {
  const bytes = Buffer.from('{"t":"日本😀"}\n\n{"t":2}', 'utf8');
  const cuts = Array.from({ length: bytes.length }, (_, i) => i);
  assert.deepEqual(feed(bytes, cuts), [{ t: '日本😀' }, { t: 2 }]);
});

test('a last line without a newline is decoded at end()', () => {
  assert.deepEqual(feed(Buffer.from('{"a":1}\n{"b":2}'), []), [{ a: 1 }, { b: 2 }]);
});

test('malformed JSON is a retryable ProtocolError naming the line', () => {
  const decoder = new NdjsonDecoder();
  assert.deepEqual(decoder.push(Buffer.from('{"ok":true}\n')), [{ ok: true }]);
  assert.throws(
    () => decoder.push(Buffer.from('{"broken":\n')),
    (error: unknown) => error instanceof ProtocolError && error.retryable && /line 2/.test(error.message),
  );
});

test('invalid UTF-8 is a ProtocolError', () => {
  assert.throws(() => new NdjsonDecoder().push(Buffer.from([0x7b, 0xff, 0x7d, 0x0a])), ProtocolError);
});

test('a line over the limit is refused without buffering it all, and not retryable', () => {
  const decoder = new NdjsonDecoder({ maxLineBytes: 100 });
  decoder.push(Buffer.from('x'.repeat(60)));
  assert.throws(
    () => decoder.push(Buffer.from('x'.repeat(60))),
    (error: unknown) => error instanceof ProtocolError && !error.retryable && /longer than 100 bytes/.test(error.message),
  );
  const complete = new NdjsonDecoder({ maxLineBytes: 10 });
  assert.throws(() => complete.push(Buffer.from(`"${'y'.repeat(20)}"\n`)), ProtocolError);
});

test('decodeNdjson works over an async iterable', async () => {
  async function* source() {
    yield Buffer.from('{"a"');
    yield Buffer.from(':1}\n{"b":');
    yield Buffer.from('2}\n');
  }
  const out: unknown[] = [];
  for await (const value of decodeNdjson(source())) out.push(value);
  assert.deepEqual(out, [{ a: 1 }, { b: 2 }]);
});

test('decodeNdjson delivers the good lines before a malformed one in the same chunk, then throws', async () => {
  async function* source() {
    yield Buffer.from('{"a":1}\n{"b":\n{"c":3}\n');
  }
  const out: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const value of decodeNdjson(source())) out.push(value);
    })(),
    ProtocolError,
  );
  assert.deepEqual(out, [{ a: 1 }]);
});
