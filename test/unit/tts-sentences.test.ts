import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SentenceSegmenter, chunkText, splitLongSentence, splitSentences } from '../../src/tts/sentences.js';

const TABLE: Array<[string, string[]]> = [
  ['Hello world. How are you?', ['Hello world.', 'How are you?']],
  ['Dr. Smith met Mr. Jones and Mrs. Brown.', ['Dr. Smith met Mr. Jones and Mrs. Brown.']],
  ['We met at St. Paul. It rained.', ['We met at St. Paul.', 'It rained.']],
  ['Bring fruit, e.g. apples, i.e. the red ones. Thanks.', ['Bring fruit, e.g. apples, i.e. the red ones.', 'Thanks.']],
  ['Use e.g. Paris as an example.', ['Use e.g. Paris as an example.']],
  ['Cats vs. Dogs is a film.', ['Cats vs. Dogs is a film.']],
  ['Pi is 3.14 roughly. Yes.', ['Pi is 3.14 roughly.', 'Yes.']],
  ['Apples, pears, etc. Then we left.', ['Apples, pears, etc.', 'Then we left.']],
  ['Apples, pears, etc. and more.', ['Apples, pears, etc. and more.']],
  ['The U.S. Army is big.', ['The U.S. Army is big.']],
  ['J. K. Rowling wrote it.', ['J. K. Rowling wrote it.']],
  ['So do I. Then go.', ['So do I.', 'Then go.']],
  ['Wait... what? No!', ['Wait... what?', 'No!']],
  ['Wait... Then it came.', ['Wait...', 'Then it came.']],
  ['Hmm… Fine.', ['Hmm…', 'Fine.']],
  ['He said "Stop." Then he left.', ['He said "Stop."', 'Then he left.']],
  ['(This is aside.) Next.', ['(This is aside.)', 'Next.']],
  ['Really?! Yes.', ['Really?!', 'Yes.']],
  ['approx. five people came.', ['approx. five people came.']],
  ['See No. 5 now. Ok.', ['See No. 5 now.', 'Ok.']],
  ['Read p. 12 first.', ['Read p. 12 first.']],
  ['你好。我是小明！你呢？好的', ['你好。', '我是小明！', '你呢？', '好的']],
  ['「こんにちは。」と言った。', ['「こんにちは。」', 'と言った。']],
  ['Line one.\nline two', ['Line one.', 'line two']],
  ['No punctuation\ncontinues here', ['No punctuation\ncontinues here']],
  ['Para one\n\nPara two', ['Para one', 'Para two']],
  ['Email me at a.b@c.com. Thanks.', ['Email me at a.b@c.com.', 'Thanks.']],
  ['It costs $5. 6 people paid.', ['It costs $5.', '6 people paid.']],
  ['   ', []],
  ['', []],
  ['One', ['One']],
  ['Trailing space.   ', ['Trailing space.']],
  ['¿Qué? Sí. Él vino.', ['¿Qué?', 'Sí.', 'Él vino.']],
];

function normalise(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The sentences are the input, in order, with only whitespace changed (CJK sentences join without a space). */
function assertCovers(sentences: string[], text: string): void {
  const squash = (s: string) => s.replace(/\s+/gu, '');
  assert.equal(squash(sentences.join('')), squash(text));
  const flat = normalise(text);
  let from = 0;
  for (const s of sentences) {
    const at = flat.indexOf(normalise(s), from);
    assert.ok(at >= from, `${JSON.stringify(s)} not found in order in ${JSON.stringify(flat)}`);
    from = at + normalise(s).length;
  }
}

function viaPieces(text: string, cuts: number[]): string[] {
  const segmenter = new SentenceSegmenter();
  const out: string[] = [];
  let last = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    out.push(...segmenter.push(text.slice(last, cut)));
    last = cut;
  }
  out.push(...segmenter.push(text.slice(last)));
  out.push(...segmenter.end());
  return out;
}

test('splitSentences handles the tricky-case table', () => {
  for (const [input, expected] of TABLE) assert.deepEqual(splitSentences(input), expected, JSON.stringify(input));
});

test('the incremental segmenter gives the table results one character at a time', () => {
  for (const [input, expected] of TABLE) {
    const segmenter = new SentenceSegmenter();
    const out: string[] = [];
    for (const ch of input) out.push(...segmenter.push(ch));
    out.push(...segmenter.end());
    assert.deepEqual(out, expected, JSON.stringify(input));
  }
});

test('a sentence is released once the next sentence start is seen, before end()', () => {
  const segmenter = new SentenceSegmenter();
  assert.deepEqual(segmenter.push('Hello there.'), []);
  assert.deepEqual(segmenter.push(' '), []);
  assert.deepEqual(segmenter.push('W'), ['Hello there.']);
  assert.equal(segmenter.pending, 'W');
  assert.deepEqual(segmenter.push('hat?\n'), ['What?']);
  assert.deepEqual(segmenter.push('你好。'), []);
  assert.deepEqual(segmenter.push('我'), ['你好。']);
  assert.deepEqual(segmenter.end(), ['我']);
});

test('maxChars cuts a run-on text at word boundaries', () => {
  const segmenter = new SentenceSegmenter({ maxChars: 20 });
  const out = [...segmenter.push('one two three four five six seven eight nine ten'), ...segmenter.end()];
  for (const s of out) assert.ok(s.length <= 20, s);
  assert.equal(out.join(' '), 'one two three four five six seven eight nine ten');
});

const alphabet = fc.constantFrom(
  'a', 'b', 'Z', 'Q', ' ', ' ', '\n', '.', '.', '!', '?', '"', ')', '…', '。', '」', '3', 'Dr', 'e.g', 'U.S', 'etc', 'x', 'é', '😀',
);
const textArb = fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join(''));

test('property: joining the sentences gives the input modulo whitespace', () => {
  fc.assert(
    fc.property(textArb, (text) => {
      const sentences = splitSentences(text);
      for (const s of sentences) assert.ok(s.length > 0 && s === s.trim());
      assertCovers(sentences, text);
    }),
    { numRuns: 500 },
  );
});

test('property: any split of the input gives the same sentences', () => {
  fc.assert(
    fc.property(
      textArb.chain((text) => fc.tuple(fc.constant(text), fc.array(fc.nat({ max: text.length }), { maxLength: 10 }))),
      ([text, cuts]) => {
        assert.deepEqual(viaPieces(text, cuts), splitSentences(text));
      },
    ),
    { numRuns: 500 },
  );
});

test('property: maxChars segmenting is split-independent and bounded', () => {
  fc.assert(
    fc.property(
      textArb.chain((text) => fc.tuple(fc.constant(text), fc.array(fc.nat({ max: text.length }), { maxLength: 8 }))),
      ([text, cuts]) => {
        const whole = splitSentences(text, { maxChars: 12 });
        const segmenter = new SentenceSegmenter({ maxChars: 12 });
        const out: string[] = [];
        let last = 0;
        for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
          out.push(...segmenter.push(text.slice(last, cut)));
          last = cut;
        }
        out.push(...segmenter.push(text.slice(last)), ...segmenter.end());
        assert.deepEqual(out, whole);
        assertCovers(whole, text);
      },
    ),
    { numRuns: 300 },
  );
});

// Two cases the random runs above once found: a terminator exactly at the cap, and whitespace
// after a forced cut arriving in a later piece (it used to count toward the next sentence's cap).
for (const [text, maxChars, pieces] of [
  ['e.getcaaaU.S\u3002aa', 12, ['e.getcaaaU.S', '\u3002', 'aa']],
  [' gU  \nU\u3002g?xD', 3, [' gU', '  ', '\nU\u3002g?', 'xD']],
  ['\u3002?\n S3Dx\n.g"eg Sx', 4, ['\u3002?', '\n', ' S3Dx', '\n.g"eg Sx']],
] as const) {
  test(`maxChars ${maxChars} gives the same sentences streamed as at once: ${JSON.stringify(text)}`, () => {
    const segmenter = new SentenceSegmenter({ maxChars });
    const streamed = [...pieces.flatMap((piece) => segmenter.push(piece)), ...segmenter.end()];
    assert.deepEqual(streamed, splitSentences(text, { maxChars }));
  });
}

test('chunkText packs sentences and respects the limit', () => {
  const text = 'Hello there. '.repeat(10) + 'a'.repeat(30);
  const parts = chunkText(text, 25);
  assert.deepEqual(parts.slice(0, 5), Array(5).fill('Hello there. Hello there.'));
  for (const p of parts) assert.ok(p.length <= 25);
  assert.equal(parts.slice(5).join(''), 'a'.repeat(30));
  assert.deepEqual(chunkText('你好。我是。', 100), ['你好。我是。']);
});

test('property: chunkText parts are bounded and preserve the words', () => {
  fc.assert(
    fc.property(textArb, fc.integer({ min: 2, max: 30 }), (text, max) => {
      const parts = chunkText(text, max);
      for (const p of parts) assert.ok(p.length <= max && p.length > 0, `${JSON.stringify(p)} > ${max}`);
      const squash = (s: string) => s.replace(/\s+/gu, '');
      assert.equal(squash(parts.join('')), squash(text));
    }),
    { numRuns: 500 },
  );
});

test('splitLongSentence never splits a surrogate pair', () => {
  const pieces = splitLongSentence('😀'.repeat(5), 3);
  for (const p of pieces) assert.ok(!/[\ud800-\udbff]$/.test(p) && !/^[\udc00-\udfff]/.test(p));
  assert.equal(pieces.join(''), '😀'.repeat(5));
});
