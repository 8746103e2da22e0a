// What a pause in live input settles: SentenceSegmenter.idleEnding/flush (which held-back endings
// are certain, which ambiguous) and liveSentences (the timers that act on them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SentenceSegmenter } from '../../src/tts/sentences.js';
import { liveSentences } from '../../src/tts/live-sentences.js';

function held(text: string): SentenceSegmenter {
  const segmenter = new SentenceSegmenter();
  assert.deepEqual(segmenter.push(text), [], `nothing is certain yet in ${JSON.stringify(text)}`);
  return segmenter;
}

const CERTAIN = [
  'This is the first sentence.',
  'This is the first sentence. ',
  'Is it? ',
  'Stop!',
  'Wait...',
  'He said "Stop."',
  '(An aside.)',
  'So do I.',
  'It costs 3 euros. ',
  'Line one. And two.',
];
const AMBIGUOUS = [
  'Call Dr.',
  'Use e.g.',
  'Fruit, e.',
  'The U.S.',
  'J.',
  'Pi is 3.',
  'Apples, pears, etc. ',
  'See No. ',
  'Dr. ',
  'He said "Stop.',
  'A line without punctuation\n',
];
const NONE = ['Hello there', 'Pi is 3.14', 'approx', 'Hello.x', ''];

test('a sentence end that only what follows could undo is certain', () => {
  for (const text of CERTAIN) {
    const segmenter = new SentenceSegmenter();
    const now = segmenter.push(text);
    assert.equal(segmenter.idleEnding, 'certain', JSON.stringify(text));
    const rest = segmenter.flush();
    assert.deepEqual([...now, ...rest].join(' '), text.trim(), JSON.stringify(text));
    assert.equal(segmenter.pending, '');
  }
});

test('abbreviations, initials, numbers and open quotes are ambiguous endings', () => {
  for (const text of AMBIGUOUS) assert.equal(held(text).idleEnding, 'ambiguous', JSON.stringify(text));
});

test('text that does not end a sentence has no idle ending, and flush() keeps it', () => {
  for (const text of NONE) {
    const segmenter = new SentenceSegmenter();
    segmenter.push(text);
    assert.equal(segmenter.idleEnding, 'none', JSON.stringify(text));
    assert.deepEqual(segmenter.flush(), []);
    assert.equal(segmenter.pending, text);
  }
});

test('a line break after a sentence still ends it at once', () => {
  const segmenter = new SentenceSegmenter();
  assert.deepEqual(segmenter.push('First line.\n'), ['First line.']);
  assert.equal(segmenter.idleEnding, 'none');
});

test('"3." then "14" stays one number; a flush in between would have split it', () => {
  const segmenter = held('Pi is 3.');
  assert.equal(segmenter.idleEnding, 'ambiguous');
  assert.deepEqual(segmenter.push('14 or so. Next'), ['Pi is 3.14 or so.']);
  const flushed = held('Pi is 3.');
  assert.deepEqual(flushed.flush(), ['Pi is 3.']);
  assert.deepEqual([...flushed.push('14 or so. Next'), ...flushed.end()], ['14 or so.', 'Next']);
});

test('after a flush the segmenter goes on with the next text', () => {
  const segmenter = held('One. ');
  assert.deepEqual(segmenter.flush(), ['One.']);
  assert.deepEqual(segmenter.push('Two. Three'), ['Two.']);
  assert.deepEqual(segmenter.end(), ['Three']);
});

/**
 * An input whose pieces the test hands over one at a time; stays open until close(). Like stdin,
 * it keeps the process alive while open (liveSentences' own timers do not).
 */
function controlledInput() {
  const queue: Array<IteratorResult<string>> = [];
  let wake: (() => void) | undefined;
  let reads = 0;
  const alive = setInterval(() => {}, 1000);
  const iterable: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        reads += 1;
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        return queue.shift()!;
      },
    }),
  };
  const put = (result: IteratorResult<string>) => {
    queue.push(result);
    wake?.();
  };
  return {
    iterable,
    get reads() {
      return reads;
    },
    write: (text: string) => put({ value: text, done: false }),
    close: () => {
      clearInterval(alive);
      put({ value: undefined, done: true });
    },
  };
}

test('liveSentences speaks a finished sentence while the input stays open', async () => {
  const input = controlledInput();
  const sentences = liveSentences(input.iterable, { idleFlushMs: 5, ambiguousFlushMs: 600_000 });
  input.write('This is the first sentence. ');
  // The input is never written to again before this resolves: only the idle timer can deliver it.
  assert.deepEqual(await sentences.next(), { value: 'This is the first sentence.', done: false });
  input.write('Second.');
  input.close();
  assert.deepEqual(await sentences.next(), { value: 'Second.', done: false });
  assert.equal((await sentences.next()).done, true);
});

test('liveSentences holds an ambiguous end until the longer wait, then lets "3." become "3.14"', async () => {
  const input = controlledInput();
  const sentences = liveSentences(input.iterable, { idleFlushMs: 1, ambiguousFlushMs: 600_000 });
  input.write('Pi is 3.');
  const first = sentences.next();
  // Many idle windows pass; the ambiguous end must still be held.
  await new Promise((resolve) => setTimeout(resolve, 100));
  input.write('14 or so.\n');
  assert.deepEqual(await first, { value: 'Pi is 3.14 or so.', done: false });
  input.close();
  assert.equal((await sentences.next()).done, true);
});

test('liveSentences gives an ambiguous end up after ambiguousFlushMs', async () => {
  const input = controlledInput();
  const sentences = liveSentences(input.iterable, { idleFlushMs: 1, ambiguousFlushMs: 20 });
  input.write('Call Dr.');
  assert.deepEqual(await sentences.next(), { value: 'Call Dr.', done: false });
  input.close();
  assert.equal((await sentences.next()).done, true);
});

test('liveSentences reads no further input than the consumer asks for', async () => {
  const input = controlledInput();
  const sentences = liveSentences(input.iterable, { idleFlushMs: 5 });
  input.write('One. Two. Three. ');
  assert.equal((await sentences.next()).value, 'One.');
  assert.equal((await sentences.next()).value, 'Two.');
  assert.equal(input.reads, 1);
  await sentences.return(undefined);
  input.close();
});

test('liveSentences rejects a negative idle window', async () => {
  const input = controlledInput();
  await assert.rejects(liveSentences(input.iterable, { idleFlushMs: -1 }).next(), RangeError);
  input.close();
});
