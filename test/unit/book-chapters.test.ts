import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { type Book, countWords, describeChapters, parseChapterSpec, selectChapters } from '../../src/book/index.js';

const nine: Book = {
  format: 'txt',
  chapters: Array.from({ length: 9 }, (_, index) => ({ number: index + 1, title: `Chapter ${index + 1}`, text: `Text of chapter ${index + 1}.` })),
};

function numbers(spec: string, book: Book = nine): number[] {
  return selectChapters(book, spec).map((chapter) => chapter.number);
}

function rejectsWith(spec: string, pattern: RegExp, book: Book = nine): void {
  assert.throws(() => selectChapters(book, spec), (error: Error) => error instanceof ValidationError && pattern.test(error.message), spec);
}

describe('--chapters', () => {
  test('single chapters, ranges, lists and open ranges', () => {
    assert.deepEqual(numbers('3'), [3]);
    assert.deepEqual(numbers('3-5'), [3, 4, 5]);
    assert.deepEqual(numbers('1,3,7-9'), [1, 3, 7, 8, 9]);
    assert.deepEqual(numbers('5-'), [5, 6, 7, 8, 9]);
    assert.deepEqual(numbers(' 9 , 2 - 3 '), [2, 3, 9]);
    assert.deepEqual(numbers('4-6,5'), [4, 5, 6]);
    assert.deepEqual(numbers('9-9'), [9]);
  });

  test('chapters keep their numbers in the whole book', () => {
    const [chapter] = selectChapters(nine, '7');
    assert.deepEqual(chapter, { number: 7, title: 'Chapter 7', text: 'Text of chapter 7.' });
  });

  test('a chapter outside the book names the book’s range and --list-chapters', () => {
    rejectsWith('12', /^chapter 12 is outside the book: it has 9 chapters \(1-9\); run with --list-chapters/);
    rejectsWith('8-12', /^chapter 12 is outside/);
    rejectsWith('10-', /^chapter 10 is outside/);
    rejectsWith('2', /it has 1 chapter \(1\);/, { format: 'md', chapters: [nine.chapters[0]!] });
  });

  test('malformed specs and reversed ranges', () => {
    for (const spec of ['', 'a', '3-5-7', '1,,2', ',', '-3', '3.5', '1;2']) rejectsWith(spec, /is not a chapter list: use numbers and ranges such as 3, 3-5, 1,3,7-9 or 5-/);
    rejectsWith('5-3', /the range 5-3 runs backwards; write it as 3-5/);
    rejectsWith('0', /chapters count from 1/);
    assert.deepEqual(parseChapterSpec('2-'), [{ first: 2, last: undefined }]);
  });
});

describe('--list-chapters', () => {
  test('number, title, characters and words per chapter', () => {
    const book: Book = { format: 'md', chapters: [{ number: 1, title: 'One', text: 'Two words.\n\nAnd\tthree more' }] };
    assert.deepEqual(describeChapters(book), [{ number: 1, title: 'One', characters: 26, words: 5 }]);
    assert.equal(countWords('  '), 0);
    assert.equal(countWords('a\u00a0b  c'), 3);
  });
});
