// EPUB 2 and 3 books built at test time from a few chapters, as zip archives (zip-writer.ts).
import { type ZipEntryInput, zipArchive } from './zip-writer.js';

export interface FixtureDocument {
  /** File name under OEBPS/. */
  file: string;
  /** The TOC label; omit to leave the document out of the table of contents. */
  tocTitle?: string;
  /** What goes inside <body>. */
  body: string;
  /** Extra manifest properties (e.g. "cover-image" is for images; "svg" for documents). */
  linear?: boolean;
}

export interface FixtureOptions {
  version: 2 | 3;
  title?: string;
  creator?: string;
  language?: string;
  documents: FixtureDocument[];
  /** More entries (META-INF/encryption.xml, images...) added after the book's own. */
  extra?: ZipEntryInput[];
  /** Leave these out (e.g. 'META-INF/container.xml', 'OEBPS/content.opf'). */
  omit?: string[];
}

export function xhtml(title: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>${title}</title><style>p { margin: 0 }</style></head>
<body>${body}</body>
</html>`;
}

export function buildEpub(options: FixtureOptions): Buffer {
  const { version, documents } = options;
  const tocDocuments = documents.filter((document) => document.tocTitle !== undefined);
  const manifest = documents.map((document, index) => `<item id="d${index}" href="${encodeURI(document.file)}" media-type="application/xhtml+xml"/>`);
  if (version === 3) manifest.push('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>');
  manifest.push('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>');
  const spine = documents.map((document, index) => `<itemref idref="d${index}"${document.linear === false ? ' linear="no"' : ''}/>`);
  if (version === 3) spine.unshift('<itemref idref="nav"/>');
  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="${version}.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier id="id">urn:uuid:0</dc:identifier>
    ${options.title ? `<dc:title>${options.title}</dc:title>` : ''}
    ${options.creator ? `<dc:creator opf:role="aut">${options.creator}</dc:creator>` : ''}
    ${options.language ? `<dc:language>${options.language}</dc:language>` : ''}
  </metadata>
  <manifest>${manifest.join('\n    ')}</manifest>
  <spine toc="ncx">${spine.join('\n    ')}</spine>
</package>`;
  const nav = xhtml(
    'Contents',
    `<nav epub:type="landmarks"><ol><li><a href="${tocDocuments[0]?.file ?? ''}">Start here</a></li></ol></nav>
<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>${tocDocuments.map((document) => `<li><a href="${encodeURI(document.file)}">${document.tocTitle}</a></li>`).join('')}</ol></nav>`,
  );
  const ncx = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head><meta name="dtb:uid" content="urn:uuid:0"/></head>
  <docTitle><text>${options.title ?? ''}</text></docTitle>
  <navMap>${tocDocuments.map((document, index) => `<navPoint id="p${index}" playOrder="${index + 1}"><navLabel><text>${document.tocTitle}</text></navLabel><content src="${encodeURI(document.file)}"/></navPoint>`).join('\n    ')}</navMap>
</ncx>`;
  const container = `<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>`;
  const entries: ZipEntryInput[] = [
    { name: 'mimetype', data: 'application/epub+zip', method: 'store' },
    { name: 'META-INF/container.xml', data: container },
    { name: 'OEBPS/content.opf', data: opf },
    ...(version === 3 ? [{ name: 'OEBPS/nav.xhtml', data: nav }] : []),
    { name: 'OEBPS/toc.ncx', data: ncx },
    ...documents.map((document) => ({ name: `OEBPS/${document.file}`, data: xhtml(document.tocTitle ?? 'Untitled', document.body) })),
    ...(options.extra ?? []),
  ];
  return zipArchive(entries.filter((entry) => !(options.omit ?? []).includes(entry.name)));
}
