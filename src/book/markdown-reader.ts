// Markdown to chapters, from marked's tokens. The chapter rule (docs/books.md): a single heading
// at the top level that comes before every other heading is the book's title; of the other
// headings, the highest level that occurs more than once starts chapters, and so does any higher
// heading. Lower headings stay inside their chapter as spoken lines. Text before the first chapter
// heading is an opening chapter (titled after the book) when it has any text.
import type { Book } from './book.js';
import { ChapterCollector } from './chapter-collector.js';
import { loadHtmlParser } from './html-text.js';
import { lexInWindows, prepareMarkdown } from './markdown-lexing.js';
import { type MarkdownItem, speakBlock } from './markdown-speech.js';
import { asSentence } from './speakable.js';

/** The chapters of a Markdown book; `fallbackTitle` (the file name) names an untitled opening. */
export async function readMarkdown(source: string, fallbackTitle: string): Promise<Book> {
  const { Lexer } = await import('marked');
  await loadHtmlParser();
  const items: MarkdownItem[] = [];
  for (const tokens of lexInWindows(Lexer, prepareMarkdown(source))) {
    for (const token of tokens) speakBlock(token, items);
  }
  return chaptersOf(items, fallbackTitle);
}

/** Splits the items into chapters by the heading rule above. */
export function chaptersOf(items: readonly MarkdownItem[], fallbackTitle: string): Book {
  const titleIndex = bookTitleIndex(items);
  const title = titleIndex === undefined ? undefined : items[titleIndex]!.text;
  const chapterDepth = chapterHeadingDepth(items, titleIndex);
  const collector = new ChapterCollector();
  collector.startChapter(title ?? fallbackTitle);
  items.forEach((item, index) => {
    if (item.kind === 'paragraph') collector.addParagraph(item.text);
    else if (index === titleIndex) collector.startChapter(item.text, item.text);
    else if (chapterDepth !== undefined && item.depth <= chapterDepth) collector.startChapter(item.text, item.text);
    else collector.addParagraph(asSentence(item.text));
  });
  return { format: 'md', title, chapters: collector.finish() };
}

/** The index of the title heading: the first heading, when it alone has the top level. */
function bookTitleIndex(items: readonly MarkdownItem[]): number | undefined {
  const first = items.findIndex((item) => item.kind === 'heading');
  if (first === -1) return undefined;
  const depth = (items[first] as { depth: number }).depth;
  const others = items.some((item, index) => index !== first && item.kind === 'heading' && item.depth <= depth);
  return others ? undefined : first;
}

/** The highest heading level (smallest depth) that occurs more than once, the title left out. */
function chapterHeadingDepth(items: readonly MarkdownItem[], titleIndex: number | undefined): number | undefined {
  const counts = new Map<number, number>();
  items.forEach((item, index) => {
    if (item.kind === 'heading' && index !== titleIndex) counts.set(item.depth, (counts.get(item.depth) ?? 0) + 1);
  });
  const repeated = [...counts].filter(([, count]) => count > 1).map(([depth]) => depth);
  return repeated.length > 0 ? Math.min(...repeated) : undefined;
}
