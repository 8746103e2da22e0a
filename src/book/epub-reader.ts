// EPUB to chapters. Reading order is the spine's; each content document with text is a chapter
// titled from the table of contents (epub-toc.ts). A document the TOC does not list and that has
// no heading of its own continues the chapter before it (books split long chapters over several
// files); one with a heading is a chapter titled by it. Documents with no text (a cover image,
// an image plate), the navigation document itself and non-linear items are skipped.
import type { Book } from './book.js';
import { ChapterCollector } from './chapter-collector.js';
import { EpubArchive } from './epub-archive.js';
import { type EpubPackage, readPackage } from './epub-package.js';
import { assertNotProtected } from './epub-protection.js';
import { readTableOfContents } from './epub-toc.js';
import { htmlToText, loadHtmlParser } from './html-text.js';

const CONTENT_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/html']);

export async function readEpub(path: string): Promise<Book> {
  await loadHtmlParser();
  const archive = await EpubArchive.open(path);
  try {
    await assertNotProtected(archive, path);
    const pkg = await readPackage(archive, path);
    const titles = await readTableOfContents(archive, pkg);
    const chapters = await readChapters(archive, pkg, titles);
    return { format: 'epub', title: pkg.title, author: pkg.author, language: pkg.language, chapters };
  } finally {
    archive.close();
  }
}

async function readChapters(archive: EpubArchive, pkg: EpubPackage, titles: Map<string, string>) {
  const collector = new ChapterCollector();
  let started = false;
  for (const item of pkg.spine) {
    if (!CONTENT_TYPES.has(item.mediaType) || item === pkg.nav) continue;
    const source = await archive.readText(item.path);
    if (source === undefined) continue;
    const { paragraphs, firstHeading } = htmlToText(source);
    if (paragraphs.length === 0) continue;
    const tocTitle = titles.get(item.path);
    const continues = started && tocTitle === undefined && firstHeading === undefined && titles.size > 0;
    if (!continues) collector.startChapter(tocTitle ?? firstHeading ?? '');
    started = true;
    for (const paragraph of paragraphs) collector.addParagraph(paragraph);
  }
  return collector.finish();
}
