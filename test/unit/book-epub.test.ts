import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { readBook } from '../../src/book/index.js';
import { buildEpub, type FixtureDocument } from '../helpers/epub-fixture.js';
import { tempDirectory } from '../helpers/temp-files.js';
import { zipArchive } from '../helpers/zip-writer.js';

const files = tempDirectory('book-epub');

const DOCUMENTS: FixtureDocument[] = [
  { file: 'cover.xhtml', body: '<div><img src="cover.jpg" alt="Cover"/></div>' },
  { file: 'ch 1.xhtml', tocTitle: 'The First', body: '<h1>Chapter One</h1><p>It began<sup><a href="notes.xhtml#n1" id="r1">1</a></sup> here,<br/>and went on.</p><script>alert(1)</script><aside epub:type="footnote"><p>A footnote.</p></aside>' },
  { file: 'ch1b.xhtml', body: '<p>Still chapter one, in a second file.</p>' },
  { file: 'ch2.xhtml', tocTitle: 'The Second', body: '<h2>Two</h2><ul><li>A list item</li><li>another</li></ul><table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>30</td></tr></table>' },
  { file: 'popup.xhtml', tocTitle: 'Answers', body: '<p>Non-linear.</p>', linear: false },
];

function rejectsWith(path: string, pattern: RegExp) {
  return assert.rejects(readBook(path), (error: Error) => error instanceof ValidationError && pattern.test(error.message) && !error.message.includes('\n'));
}

describe('EPUB books', () => {
  for (const version of [3, 2] as const) {
    test(`EPUB ${version}: spine order, ${version === 3 ? 'nav' : 'NCX'} titles, cover skipped, continuation joined, metadata`, async () => {
      const path = files.write(`book${version}.epub`, buildEpub({ version, title: 'A Tale', creator: 'Ann Author', language: 'en-GB', documents: DOCUMENTS }));
      const book = await readBook(path);
      assert.equal(book.format, 'epub');
      assert.deepEqual([book.title, book.author, book.language], ['A Tale', 'Ann Author', 'en-GB']);
      assert.deepEqual(
        book.chapters.map((chapter) => [chapter.number, chapter.title, chapter.text]),
        [
          [1, 'The First', 'Chapter One.\n\nIt began here, and went on.\n\nStill chapter one, in a second file.'],
          [2, 'The Second', 'Two.\n\nA list item.\n\nanother.\n\nName, Age\n\nAnn, 30'],
        ],
      );
    });
  }

  test('a document outside the TOC with a heading of its own is a chapter titled by it', async () => {
    const path = files.write('headed.epub', buildEpub({ version: 3, documents: [{ file: 'a.xhtml', tocTitle: 'A', body: '<p>a</p>' }, { file: 'b.xhtml', body: '<h1>Afterword</h1><p>b</p>' }] }));
    assert.deepEqual((await readBook(path)).chapters.map((chapter) => chapter.title), ['A', 'Afterword']);
  });

  test('the zip signature makes any file name an EPUB', async () => {
    const path = files.write('book.bin', buildEpub({ version: 3, documents: [{ file: 'a.xhtml', tocTitle: 'Only', body: '<p>Text.</p>' }] }));
    assert.deepEqual((await readBook(path)).chapters.map((chapter) => chapter.title), ['Only']);
  });

  test('font obfuscation alone is not DRM', async () => {
    const encryption = `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
      <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData></enc:EncryptedData>
      <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://ns.adobe.com/pdf/enc#RC"/><enc:CipherData><enc:CipherReference URI="OEBPS/font2.otf"/></enc:CipherData></enc:EncryptedData>
    </encryption>`;
    const path = files.write('fonts.epub', buildEpub({ version: 3, documents: [{ file: 'a.xhtml', tocTitle: 'A', body: '<p>Readable.</p>' }], extra: [{ name: 'META-INF/encryption.xml', data: encryption }] }));
    assert.equal((await readBook(path)).chapters[0]!.text, 'Readable.');
  });
});

describe('bad EPUBs', () => {
  const one: FixtureDocument[] = [{ file: 'a.xhtml', tocTitle: 'A', body: '<p>Text.</p>' }];

  test('DRM: encrypted content documents (Adobe ADEPT)', async () => {
    const encryption = `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><ds:KeyInfo><resource xmlns="http://ns.adobe.com/adept"/></ds:KeyInfo><enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData></enc:EncryptedData>
    </encryption>`;
    await rejectsWith(files.write('drm.epub', buildEpub({ version: 3, documents: one, extra: [{ name: 'META-INF/encryption.xml', data: encryption }] })), /drm\.epub is DRM-protected \(Adobe ADEPT\), so its text cannot be read: use a DRM-free copy/);
  });

  test('DRM: a Readium LCP licence', async () => {
    await rejectsWith(files.write('lcp.epub', buildEpub({ version: 3, documents: one, extra: [{ name: 'META-INF/license.lcpl', data: '{}' }] })), /is DRM-protected \(Readium LCP\)/);
  });

  test('a broken zip', async () => {
    const whole = buildEpub({ version: 3, documents: one });
    await rejectsWith(files.write('broken.epub', whole.subarray(0, whole.length - 40)), /broken\.epub is not a valid EPUB \(it is not a readable zip archive: .*\): get a fresh copy/);
  });

  test('no container.xml, no package document, an empty spine', async () => {
    await rejectsWith(files.write('nocontainer.epub', buildEpub({ version: 3, documents: one, omit: ['META-INF/container.xml'] })), /not a valid EPUB \(META-INF\/container\.xml is missing\)/);
    await rejectsWith(files.write('noopf.epub', buildEpub({ version: 3, documents: one, omit: ['OEBPS/content.opf'] })), /not a valid EPUB \(its package document OEBPS\/content\.opf, named in META-INF\/container\.xml, is missing\)/);
    await rejectsWith(files.write('nospine.epub', buildEpub({ version: 2, documents: [] })), /not a valid EPUB \(its spine lists no content documents\)/);
  });

  test('only images: no text to speak', async () => {
    await rejectsWith(files.write('images.epub', buildEpub({ version: 2, documents: [{ file: 'c.xhtml', tocTitle: 'Cover', body: '<img src="c.jpg" alt="c"/>' }] })), /images\.epub has no text to speak/);
  });

  test('an entry that unpacks past the limit is refused before it is read (zip bomb)', async () => {
    const bomb = Buffer.alloc(40 * 1024 * 1024, 0x20);
    const entries = [
      { name: 'mimetype', data: 'application/epub+zip', method: 'store' as const },
      { name: 'META-INF/container.xml', data: '<container><rootfiles><rootfile full-path="c.opf" media-type="application/oebps-package+xml"/></rootfiles></container>' },
      { name: 'c.opf', data: '<package><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>' },
      { name: 'a.xhtml', data: bomb },
    ];
    await rejectsWith(files.write('bomb2.epub', zipArchive(entries)), /a\.xhtml unpacks to 40 MiB or more, more than the 32 MiB one file of a book may hold/);
    await rejectsWith(files.write('liar.epub', zipArchive([...entries.slice(0, 3), { name: 'a.xhtml', data: bomb, declaredSize: 1000 }])), /liar\.epub(: a\.xhtml unpacks to| is damaged)/);
  });
});
