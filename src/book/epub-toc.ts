// Chapter titles from the book's table of contents: the EPUB 3 navigation document's
// <nav epub:type="toc"> (or role="doc-toc"), else the EPUB 2 NCX's navPoints. The result maps each
// content document to the first TOC entry that points into it (entries for anchors further into
// the same file are not chapters of their own: docs/books.md).
import { posix } from 'node:path';
import type { EpubArchive } from './epub-archive.js';
import type { EpubPackage } from './epub-package.js';
import { resolveHref } from './epub-package.js';
import { attribute, descendants, firstDescendant, parseXml, textOf, type XmlElement } from './xml-tree.js';

export interface TocEntry {
  path: string;
  title: string;
}

/** Document path -> chapter title, in TOC order; empty when the book has no usable TOC. */
export async function readTableOfContents(archive: EpubArchive, pkg: EpubPackage): Promise<Map<string, string>> {
  const entries = (await navEntries(archive, pkg)) ?? (await ncxEntries(archive, pkg)) ?? [];
  const titles = new Map<string, string>();
  for (const entry of entries) if (entry.title !== '' && !titles.has(entry.path)) titles.set(entry.path, entry.title);
  return titles;
}

async function navEntries(archive: EpubArchive, pkg: EpubPackage): Promise<TocEntry[] | undefined> {
  if (!pkg.nav) return undefined;
  const source = await archive.readText(pkg.nav.path);
  if (source === undefined) return undefined;
  const navs = descendants(await parseXml(source, false), 'nav');
  const isToc = (nav: XmlElement): boolean => /\btoc\b/.test(attribute(nav, 'type') ?? '') || attribute(nav, 'role') === 'doc-toc';
  const toc = navs.find(isToc) ?? navs[0];
  if (!toc) return undefined;
  const base = posix.dirname(pkg.nav.path);
  const entries = descendants(toc, 'a')
    .filter((link) => attribute(link, 'href'))
    .map((link) => ({ path: resolveHref(base, attribute(link, 'href')!), title: textOf(link) }));
  return entries.length > 0 ? entries : undefined;
}

async function ncxEntries(archive: EpubArchive, pkg: EpubPackage): Promise<TocEntry[] | undefined> {
  if (!pkg.ncx) return undefined;
  const source = await archive.readText(pkg.ncx.path);
  if (source === undefined) return undefined;
  const base = posix.dirname(pkg.ncx.path);
  const entries: TocEntry[] = [];
  for (const point of descendants(await parseXml(source), 'navpoint')) {
    const content = directChild(point, 'content');
    const label = directChild(point, 'navlabel');
    const src = content && attribute(content, 'src');
    if (!src) continue;
    const text = label ? firstDescendant(label, 'text') : undefined;
    entries.push({ path: resolveHref(base, src), title: text ? textOf(text) : '' });
  }
  return entries.length > 0 ? entries : undefined;
}

/** A child element (not a nested navPoint's). */
function directChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child): child is XmlElement => typeof child !== 'string' && child.name === name);
}
