// The EPUB's package: META-INF/container.xml names the package document (the OPF), which holds
// the book's metadata, its manifest (every file, by id) and its spine (the reading order).
import { posix } from 'node:path';
import { ValidationError } from '../core/errors.js';
import type { EpubArchive } from './epub-archive.js';
import { attribute, descendants, firstDescendant, parseXml, textOf } from './xml-tree.js';

export const CONTAINER_PATH = 'META-INF/container.xml';
const PACKAGE_MEDIA_TYPE = 'application/oebps-package+xml';

export interface ManifestItem {
  id: string;
  /** Full path inside the archive. */
  path: string;
  mediaType: string;
  properties: string[];
}

export interface EpubPackage {
  title?: string;
  author?: string;
  language?: string;
  manifest: Map<string, ManifestItem>;
  /** Manifest items in reading order, non-linear ones (pop-up notes, answers) left out. */
  spine: ManifestItem[];
  /** The EPUB 3 navigation document, when the manifest marks one. */
  nav?: ManifestItem;
  /** The EPUB 2 NCX table of contents the spine names, when present. */
  ncx?: ManifestItem;
}

export async function readPackage(archive: EpubArchive, path: string): Promise<EpubPackage> {
  const container = await archive.readText(CONTAINER_PATH);
  if (container === undefined) throw invalid(path, `${CONTAINER_PATH} is missing`);
  const rootfiles = descendants(await parseXml(container), 'rootfile');
  const rootfile = rootfiles.find((element) => attribute(element, 'media-type') === PACKAGE_MEDIA_TYPE) ?? rootfiles[0];
  const opfPath = rootfile && attribute(rootfile, 'full-path');
  if (!opfPath) throw invalid(path, `${CONTAINER_PATH} names no package document`);
  const opf = await archive.readText(opfPath);
  if (opf === undefined) throw invalid(path, `its package document ${opfPath}, named in ${CONTAINER_PATH}, is missing`);
  const root = await parseXml(opf);
  const base = posix.dirname(opfPath);
  const manifest = new Map<string, ManifestItem>();
  for (const item of descendants(root, 'item')) {
    const id = attribute(item, 'id');
    const href = attribute(item, 'href');
    if (!id || !href) continue;
    const properties = (attribute(item, 'properties') ?? '').split(/\s+/).filter(Boolean);
    manifest.set(id, { id, path: resolveHref(base, href), mediaType: (attribute(item, 'media-type') ?? '').toLowerCase(), properties });
  }
  const spineElement = firstDescendant(root, 'spine');
  const spine = descendants(spineElement ?? root, 'itemref')
    .filter((itemref) => attribute(itemref, 'linear') !== 'no')
    .map((itemref) => manifest.get(attribute(itemref, 'idref') ?? ''))
    .filter((item): item is ManifestItem => item !== undefined);
  if (spine.length === 0) throw invalid(path, `its spine lists no content documents`);
  const ncxId = spineElement && attribute(spineElement, 'toc');
  const ncx = (ncxId ? manifest.get(ncxId) : undefined) ?? [...manifest.values()].find((item) => item.mediaType === 'application/x-dtbncx+xml');
  const nav = [...manifest.values()].find((item) => item.properties.includes('nav'));
  return { ...metadataOf(root), manifest, spine, nav, ncx };
}

function metadataOf(root: Awaited<ReturnType<typeof parseXml>>): Pick<EpubPackage, 'title' | 'author' | 'language'> {
  const metadata = firstDescendant(root, 'metadata') ?? root;
  const nonEmpty = (name: string): string[] =>
    descendants(metadata, name)
      .map(textOf)
      .filter((text) => text !== '');
  const creators = nonEmpty('creator');
  return { title: nonEmpty('title')[0], author: creators.length > 0 ? creators.join(', ') : undefined, language: nonEmpty('language')[0] };
}

/** The archive path an href names, relative to the folder of the file it appears in; no fragment. */
export function resolveHref(base: string, href: string): string {
  const withoutFragment = href.split('#')[0]!;
  let decoded = withoutFragment;
  try {
    decoded = decodeURIComponent(withoutFragment);
  } catch {
    // A stray % in a file name: use it as written.
  }
  const joined = decoded.startsWith('/') ? decoded.slice(1) : posix.join(base === '.' ? '' : base, decoded);
  return posix.normalize(joined).replace(/^(\.\/)+/, '');
}

export function invalid(path: string, problem: string): ValidationError {
  return new ValidationError(`${path} is not a valid EPUB (${problem}): re-create it with an EPUB editor or converter, or give the text as .txt or .md.`);
}
