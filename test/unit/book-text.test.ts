import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { readBook } from '../../src/book/index.js';
import { headingOf, romanValue } from '../../src/book/text-headings.js';
import { tempDirectory } from '../helpers/temp-files.js';

const files = tempDirectory('book-text');

describe('plain-text headings', () => {
  for (const line of ['Chapter 3', 'CHAPTER III', 'Chapter Three', 'chapter twenty-one', 'Part 2', 'BOOK IV.', 'Prologue', 'Epilogue', 'Chapter 3: The Storm', 'CHAPTER I. LOOMINGS', 'Chapter 7 — Home']) {
    test(`"${line}" is a heading`, () => assert.ok(headingOf([line]), line));
  }
  for (const line of ['Chapter 3 was the best part.', 'Part 2 of the plan', 'Chapter Civil', 'Chapter IIII', 'In the chapter 3', 'Prologues are long']) {
    test(`"${line}" is text`, () => assert.equal(headingOf([line]), undefined));
  }
  test('a short subtitle line straight after the heading joins its title', () => {
    assert.deepEqual(headingOf(['CHAPTER IV.', 'The Storm']), { title: 'CHAPTER IV: The Storm', spoken: 'CHAPTER 4. The Storm' });
  });
  test('a heading with a long paragraph after it (no blank line) is text', () => {
    assert.equal(headingOf(['Chapter 1', 'x'.repeat(120)]), undefined);
    assert.equal(headingOf(['Chapter 1', 'a', 'b']), undefined);
  });
  test('Roman numerals are read as numbers', () => {
    assert.equal(romanValue('XIV'), 14);
    assert.equal(romanValue('mcmxcix'), 1999);
    assert.equal(headingOf(['Chapter XL'])?.spoken, 'Chapter 40');
  });
});

describe('reading a plain-text book', () => {
  test('chapters from headings, an opening chapter before them, paragraphs unwrapped', async () => {
    const path = files.write(
      'moby.txt',
      'Moby-Dick\r\nor, The Whale\r\n\r\nCHAPTER I.\r\nLoomings\r\n\r\nCall me Ishmael. Some years\r\nago, having a well-\r\nknown reason.\r\n\r\n* * *\r\n\r\nMore.\r\n\r\nChapter Two\r\n\r\nThe carpet-bag.\r\n',
    );
    const book = await readBook(path);
    assert.equal(book.format, 'txt');
    assert.deepEqual(
      book.chapters.map((chapter) => chapter.title),
      ['moby', 'CHAPTER I: Loomings', 'Chapter Two'],
    );
    assert.equal(book.chapters[0]!.text, 'Moby-Dick or, The Whale');
    assert.equal(book.chapters[1]!.text, 'CHAPTER 1. Loomings.\n\nCall me Ishmael. Some years ago, having a well-known reason.\n\nMore.');
    assert.deepEqual(book.chapters.map((chapter) => chapter.number), [1, 2, 3]);
  });

  test('a heading must stand alone between blank lines', async () => {
    const book = await readBook(files.write('inline.txt', 'Text before.\nChapter 2\nstill the same paragraph.\n'));
    assert.equal(book.chapters.length, 1);
    assert.equal(book.chapters[0]!.text, 'Text before. Chapter 2 still the same paragraph.');
  });

  test('form feeds are page breaks that start chapters', async () => {
    const book = await readBook(files.write('pages.txt', 'First page.\n\fSecond page.\n\f\nChapter 9\n\nNinth.\n\f'));
    assert.deepEqual(
      book.chapters.map((chapter) => [chapter.number, chapter.title, chapter.text]),
      [
        [1, 'pages', 'First page.'],
        [2, 'Chapter 2', 'Second page.'],
        [3, 'Chapter 9', 'Chapter 9.\n\nNinth.'],
      ],
    );
  });

  test('a part heading with no text of its own opens the next chapter', async () => {
    const book = await readBook(files.write('parts.txt', 'Part One\n\nChapter 1\n\nText.\n\nEpilogue\n'));
    assert.deepEqual(book.chapters.map((chapter) => [chapter.title, chapter.text]), [['Chapter 1', 'Part One.\n\nChapter 1.\n\nText.']]);
  });

  test('a text with no headings is one chapter titled from the file name', async () => {
    const book = await readBook(files.write('my notes.txt', 'Just\nsome text.\n\nAnd more.'));
    assert.deepEqual(book.chapters, [{ number: 1, title: 'my notes', text: 'Just some text.\n\nAnd more.' }]);
  });

  test('a UTF-16 file with a byte-order mark reads as text', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Chapter 1\n\nCafé.\n', 'utf16le')]);
    const book = await readBook(files.write('utf16.txt', utf16));
    assert.equal(book.chapters[0]!.text, 'Chapter 1.\n\nCafé.');
  });
});

describe('bad text input', () => {
  test('a missing file names the file', async () => {
    await assert.rejects(readBook(`${files.dir}/missing.txt`), (error: Error) => error instanceof ValidationError && /Cannot read book .*missing\.txt: no such file/.test(error.message));
  });
  test('a directory is refused', async () => {
    await assert.rejects(readBook(files.dir), (error: Error) => error instanceof ValidationError && /it is a directory/.test(error.message));
  });
  test('a blank text has nothing to speak', async () => {
    await assert.rejects(readBook(files.write('blank.txt', '\n\n  \n* * *\n')), (error: Error) => error instanceof ValidationError && /blank\.txt has no text to speak/.test(error.message));
  });
  test('an unknown extension is refused with the formats that work', async () => {
    await assert.rejects(readBook(files.write('book.pdf', '%PDF-1.4')), (error: Error) => error instanceof ValidationError && /unknown extension \.pdf: give a book as a \.txt, \.md or \.epub file/.test(error.message));
  });
  test('an .epub that is not a zip archive is refused', async () => {
    await assert.rejects(readBook(files.write('fake.epub', 'plain text')), (error: Error) => error instanceof ValidationError && /fake\.epub is not a valid EPUB \(it is not a zip archive\)/.test(error.message));
  });
  test('the caller may force a format for an unusual name', async () => {
    const book = await readBook(files.write('README', '# Title\n\nHello.'), { format: 'md' });
    assert.equal(book.chapters[0]!.text, 'Title.\n\nHello.');
  });
});
