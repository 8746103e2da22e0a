// What `--list-chapters` shows of each chapter: its number, title and length.
import type { Book } from './book.js';

export interface ChapterSummary {
  number: number;
  title: string;
  /** Characters of speakable text (UTF-16 code units, as the service counts them). */
  characters: number;
  words: number;
}

export function describeChapters(book: Book): ChapterSummary[] {
  return book.chapters.map((chapter) => ({ number: chapter.number, title: chapter.title, characters: chapter.text.length, words: countWords(chapter.text) }));
}

/** Runs of non-space characters; counted in one pass, with no array of words. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a);
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return words;
}
