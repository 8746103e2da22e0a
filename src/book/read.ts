// A stand-in until the book readers land (plain text, Markdown and EPUB, from the readers' branch,
// which replaces this file): plain text only, chapters at lines that are just "Chapter N".
// It exists so `inworld book` builds and its tests run; it is not the reader the issue asks for.
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import type { Book, BookChapter } from './book.js';

export async function readBook(path: string): Promise<Book> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw fileError('read', path, error, { what: 'book', beforeRequest: true });
  });
  const chapters: BookChapter[] = [];
  for (const block of text.split(/^(?=Chapter \d+[ \t]*$)/m)) {
    const [first = '', ...rest] = block.split('\n');
    const titled = /^Chapter \d+[ \t]*$/.test(first);
    const body = (titled ? rest.join('\n') : block).trim();
    if (body) chapters.push({ number: chapters.length + 1, title: titled ? first.trim() : `Chapter ${chapters.length + 1}`, text: body });
  }
  if (chapters.length === 0) throw new ValidationError(`${path} has no text to speak.`);
  return { format: 'txt', chapters };
}

/** `3-5`, `1,4,7-9`: the chapters named, in book order; a number outside the book is refused. */
export function selectChapters(book: Book, spec: string): BookChapter[] {
  const wanted = new Set<number>();
  for (const piece of spec.split(',')) {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(piece);
    if (!match) throw new ValidationError(`--chapters takes numbers and ranges such as 3-5 or 1,4,7-9, not "${spec}".`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 1 || to > book.chapters.length || from > to) {
      throw new ValidationError(`--chapters ${spec} is outside the book, which has chapters 1-${book.chapters.length}.`, { hint: 'See them with --list-chapters' });
    }
    for (let number = from; number <= to; number += 1) wanted.add(number);
  }
  return book.chapters.filter((chapter) => wanted.has(chapter.number));
}
