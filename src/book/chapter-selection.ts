// `--chapters` specs: "3", "3-5", "1,3,7-9", "5-" (from 5 to the end). The chosen chapters come
// back in book order, each once, keeping the numbers they have in the whole book.
import { ValidationError } from '../core/errors.js';
import type { Book, BookChapter } from './book.js';

/** One part of a spec: a single chapter or an inclusive range (`last` undefined: to the end). */
export interface ChapterRange {
  first: number;
  last?: number;
}

const PART = /^(\d+)(?:\s*(-)\s*(\d+)?)?$/;

/** The ranges of a spec, checked for form only (the book's length is checked by selectChapters). */
export function parseChapterSpec(spec: string): ChapterRange[] {
  const parts = spec.split(',').map((part) => part.trim());
  if (spec.trim() === '' || parts.some((part) => part === '')) throw malformed(spec);
  return parts.map((part) => {
    const match = PART.exec(part);
    if (!match) throw malformed(spec);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : match[3] === undefined ? undefined : Number(match[3]);
    if (first < 1 || (last !== undefined && last < 1)) throw new ValidationError(`--chapters ${JSON.stringify(spec)}: chapters count from 1.`);
    if (last !== undefined && last < first) {
      throw new ValidationError(`--chapters ${JSON.stringify(spec)}: the range ${first}-${last} runs backwards; write it as ${last}-${first}.`);
    }
    return { first, last };
  });
}

/** The chapters `spec` names, in book order; a ValidationError for a chapter the book does not have. */
export function selectChapters(book: Book, spec: string): BookChapter[] {
  const ranges = parseChapterSpec(spec);
  const count = book.chapters.length;
  for (const range of ranges) {
    const outside = range.first > count ? range.first : range.last !== undefined && range.last > count ? range.last : undefined;
    if (outside !== undefined) {
      const has = count === 1 ? 'it has 1 chapter (1)' : `it has ${count} chapters (1-${count})`;
      throw new ValidationError(`chapter ${outside} is outside the book: ${has}; run with --list-chapters to see them.`);
    }
  }
  return book.chapters.filter((chapter) => ranges.some((range) => chapter.number >= range.first && chapter.number <= (range.last ?? count)));
}

function malformed(spec: string): ValidationError {
  return new ValidationError(`--chapters ${JSON.stringify(spec)} is not a chapter list: use numbers and ranges such as 3, 3-5, 1,3,7-9 or 5- (to the end).`);
}
