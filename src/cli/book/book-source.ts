// The book as the readers give it (book/read.ts): read whole, chapters picked by --chapters, and
// the chapter listing of --list-chapters.
import type { Book } from '../../book/book.js';
import type { BookFlags } from './book.js';

export async function loadBook(file: string): Promise<Book> {
  const { readBook } = await import('../../book/read.js');
  return readBook(file);
}

export async function pickChapters(book: Book, spec: string): Promise<Book['chapters']> {
  const { selectChapters } = await import('../../book/read.js');
  return selectChapters(book, spec);
}

/** `--list-chapters`: number, title and size of each chapter; with --json one object per chapter. */
export async function listChapters(file: string, flags: BookFlags): Promise<void> {
  const book = await loadBook(file);
  const chapters = flags.chapters !== undefined ? await pickChapters(book, flags.chapters) : book.chapters;
  const width = String(chapters.at(-1)?.number ?? 1).length;
  for (const chapter of chapters) {
    const characters = chapter.text.length;
    if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'chapter', chapter: chapter.number, title: chapter.title, characters })}\n`);
    else process.stdout.write(`${String(chapter.number).padStart(width)}  ${chapter.title}  (${characters.toLocaleString('en-US')} characters)\n`);
  }
}
