// Books built in tests (no reader involved): chapters of numbered sentences, long enough that
// each chapter needs several requests.
import type { Book } from '../../src/book/book.js';

export function sentences(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `${prefix} sentence number ${index + 1} goes on for a while so that the text is long.`).join(' ');
}

/** `chapters` chapters of `perChapter` sentences each (about 65 characters a sentence). */
export function testBook(chapters = 3, perChapter = 40): Book {
  return {
    format: 'txt',
    title: 'A Test Book',
    chapters: Array.from({ length: chapters }, (_, index) => ({ number: index + 1, title: `Chapter ${index + 1}: Part ${'ABCDEFGHIJ'[index % 10]}`, text: sentences(`Chapter ${index + 1}`, perChapter) })),
  };
}
