// Plain text to chapters. Paragraphs are separated by blank lines; the lines inside one are joined
// (hard-wrapped text reads as running prose). Chapters start at heading paragraphs (text-headings.ts)
// and at page breaks (form feeds). Text before the first heading is an opening chapter titled
// after the book; a text with no heading and no page break is one chapter with that title.
import type { Book } from './book.js';
import { ChapterCollector } from './chapter-collector.js';
import { headingOf } from './text-headings.js';

const FORM_FEED = '\f';

/** The chapters of a plain-text book; `fallbackTitle` names an opening chapter (the file name). */
export function readPlainText(source: string, fallbackTitle: string): Book {
  const collector = new ChapterCollector();
  collector.startChapter(fallbackTitle);
  const text = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  const pages = text.split(FORM_FEED);
  pages.forEach((page, index) => {
    readPage(page, collector, index > 0);
  });
  return { format: 'txt', chapters: collector.finish() };
}

/** One page's paragraphs; a page after a page break opens a chapter unless a heading does. */
function readPage(page: string, collector: ChapterCollector, afterBreak: boolean): void {
  let block: string[] = [];
  let first = true;
  const flush = (): void => {
    if (block.length === 0) return;
    const heading = headingOf(block);
    if (heading) collector.startChapter(heading.title, heading.spoken);
    else {
      if (first && afterBreak) collector.startChapter('');
      collector.addParagraph(joinWrappedLines(block));
    }
    first = false;
    block = [];
  };
  // Scanned in place: splitting a 10 MB text into an array of lines would hold all of them at once.
  let start = 0;
  while (start <= page.length) {
    const newline = page.indexOf('\n', start);
    const end = newline === -1 ? page.length : newline;
    const line = page.slice(start, end).trim();
    if (line === '') flush();
    else block.push(line);
    start = end + 1;
  }
  flush();
}

/** Lines of one paragraph as one line; "well-" at a line's end joins "known" with no space. */
export function joinWrappedLines(lines: readonly string[]): string {
  const parts: string[] = [];
  lines.forEach((line, index) => {
    parts.push(line);
    const next = lines[index + 1];
    if (next === undefined) return;
    const hyphenated = /\p{L}-$/u.test(line) && /^\p{Ll}/u.test(next);
    if (!hyphenated) parts.push(' ');
  });
  return parts.join('');
}
