// The book as the readers give it (book/read-book.ts): read whole, chapters picked by --chapters,
// and the chapter listing of --list-chapters.
import type { Book } from '../../book/book.js';
import type { BookFlags } from './book.js';

export async function loadBook(file: string): Promise<Book> {
  const { readBook } = await import('../../book/read-book.js');
  return readBook(file);
}

export async function pickChapters(book: Book, spec: string): Promise<Book['chapters']> {
  const { selectChapters } = await import('../../book/chapter-selection.js');
  return selectChapters(book, spec);
}

/** `--list-chapters`: number, title and size of each chapter; with --json one object per chapter. */
export async function listChapters(file: string, flags: BookFlags): Promise<void> {
  const book = await loadBook(file);
  const chosen = flags.chapters !== undefined ? await pickChapters(book, flags.chapters) : book.chapters;
  const { describeChapters } = await import('../../book/chapter-summary.js');
  const summaries = describeChapters({ ...book, chapters: chosen });
  const width = String(summaries.at(-1)?.number ?? 1).length;
  for (const summary of summaries) {
    if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'chapter', chapter: summary.number, title: summary.title, characters: summary.characters, words: summary.words })}\n`);
    else process.stdout.write(`${String(summary.number).padStart(width)}  ${summary.title}  (${summary.characters.toLocaleString('en-US')} characters, ${summary.words.toLocaleString('en-US')} words)\n`);
  }
}
