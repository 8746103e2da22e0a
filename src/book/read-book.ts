// readBook: a .txt, .md or .epub file to chapters of speakable text. The format comes from the
// content first (a zip archive is an EPUB whatever its name) and then from the extension. Every
// problem with the input is a ValidationError whose one line names the file, the problem and
// what to do, found before anything is synthesized.
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import type { Book, BookFormat } from './book.js';
import { titleFromFileName } from './speakable.js';

/** A text or Markdown book is read whole; above this it is refused (split it into several files). */
export const MAX_TEXT_BOOK_BYTES = 32 * 1024 * 1024;

const ZIP_SIGNATURES = ['504b0304', '504b0506'];
const EXTENSIONS: Readonly<Record<string, BookFormat>> = { '.txt': 'txt', '.text': 'txt', '.md': 'md', '.markdown': 'md', '.epub': 'epub' };

export interface ReadBookOptions {
  /** Read as this format whatever the file's name (a zip archive is still read as an EPUB). */
  format?: BookFormat;
}

/** Reads the book at `path` into chapters; a ValidationError for anything that is not a readable book. */
export async function readBook(path: string, options: ReadBookOptions = {}): Promise<Book> {
  const { format, size } = await detectFormat(path, options.format);
  const book = format === 'epub' ? await readEpubBook(path) : await readTextBook(path, format, size);
  if (book.chapters.length === 0) throw noText(path, format);
  return book;
}

async function readEpubBook(path: string): Promise<Book> {
  const { readEpub } = await import('./epub-reader.js');
  return readEpub(path);
}

async function readTextBook(path: string, format: 'txt' | 'md', size: number): Promise<Book> {
  if (size > MAX_TEXT_BOOK_BYTES) {
    throw new ValidationError(
      `${path} is ${mebibytes(size)} MiB; a ${format === 'md' ? 'Markdown' : 'text'} book may be at most ${mebibytes(MAX_TEXT_BOOK_BYTES)} MiB: split it into several files.`,
    );
  }
  const source = decodeText(await readWhole(path));
  const fallbackTitle = titleFromFileName(path);
  if (format === 'md') {
    const { readMarkdown } = await import('./markdown-reader.js');
    return readMarkdown(source, fallbackTitle);
  }
  const { readPlainText } = await import('./text-reader.js');
  return readPlainText(source, fallbackTitle);
}

/** The format by content (zip signature) and then by extension or the caller's choice. */
async function detectFormat(path: string, chosen: BookFormat | undefined): Promise<{ format: BookFormat; size: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    const isZip = bytesRead === 4 && ZIP_SIGNATURES.includes(head.toString('hex'));
    const format = isZip ? 'epub' : (chosen ?? EXTENSIONS[extname(path).toLowerCase()]);
    if (format === undefined) throw unknownFormat(path);
    if (format === 'epub' && !isZip) {
      throw new ValidationError(`${path} is not a valid EPUB (it is not a zip archive): give an EPUB file, or a .txt or .md file.`);
    }
    return { format, size: stats.size };
  } catch (error) {
    throw fileError('read', path, error, { what: 'book', beforeRequest: true });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function readWhole(path: string): Promise<Buffer> {
  try {
    const handle = await open(path, 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError('read', path, error, { what: 'book', beforeRequest: true });
  }
}

/** UTF-8 unless a byte-order mark says UTF-16; malformed bytes become U+FFFD rather than failing. */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

function unknownFormat(path: string): ValidationError {
  const extension = extname(path);
  const what = extension === '' ? 'has no extension' : `has the unknown extension ${extension}`;
  return new ValidationError(`${path} ${what}: give a book as a .txt, .md or .epub file.`);
}

function noText(path: string, format: BookFormat): ValidationError {
  const holds = format === 'md' ? 'only markup, code or blank lines' : format === 'epub' ? 'no text in its content documents (images only?)' : 'only blank lines';
  return new ValidationError(`${path} has no text to speak (it holds ${holds}): give a book with prose in it.`);
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
