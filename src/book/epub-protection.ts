// DRM detection. META-INF/encryption.xml lists encrypted files; the only encryption a reader can
// undo without a key is font obfuscation (the IDPF and Adobe algorithms below), which hides fonts,
// not text, so a book with only that reads fine. Any other algorithm, or the licence files of
// Adobe ADEPT (rights.xml), Readium LCP (license.lcpl) or Apple FairPlay (sinf.xml), means DRM.
import { ValidationError } from '../core/errors.js';
import type { EpubArchive } from './epub-archive.js';
import { attribute, descendants, parseXml } from './xml-tree.js';

const FONT_OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);

const LICENCE_FILES: ReadonlyArray<[string, string]> = [
  ['META-INF/rights.xml', 'Adobe ADEPT'],
  ['META-INF/license.lcpl', 'Readium LCP'],
  ['META-INF/sinf.xml', 'Apple FairPlay'],
];

/** Throws a ValidationError naming the scheme when the book is DRM-protected. */
export async function assertNotProtected(archive: EpubArchive, path: string): Promise<void> {
  for (const [file, scheme] of LICENCE_FILES) if (archive.has(file)) throw protectedBook(path, scheme);
  const encryption = await archive.readText('META-INF/encryption.xml');
  if (encryption === undefined) return;
  const methods = descendants(await parseXml(encryption), 'encryptionmethod').map((method) => attribute(method, 'algorithm') ?? '');
  if (methods.every((algorithm) => FONT_OBFUSCATION.has(algorithm))) return;
  throw protectedBook(path, schemeNamed(encryption));
}

function schemeNamed(encryption: string): string {
  if (encryption.includes('ns.adobe.com/adept')) return 'Adobe ADEPT';
  if (encryption.includes('readium.org/2014/01/lcp')) return 'Readium LCP';
  if (/apple/i.test(encryption)) return 'Apple FairPlay';
  return 'its text is encrypted';
}

function protectedBook(path: string, scheme: string): ValidationError {
  return new ValidationError(`${path} is DRM-protected (${scheme}), so its text cannot be read: use a DRM-free copy of the book, or its text as .txt or .md.`);
}
