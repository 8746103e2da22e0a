// The EPUB's zip container, read with yauzl. Entries are read whole into memory only after their
// sizes pass the limits below, so a zip bomb (a small file that unpacks to gigabytes) or a huge
// entry is refused before it can exhaust memory; yauzl checks that no entry unpacks to more than
// the size it declares, and the byte count here stops one that tries.
import type { Entry, ZipFile } from 'yauzl';
import { ValidationError } from '../core/errors.js';

/** The most one file inside the book may unpack to (a content document, the package, the nav). */
export const MAX_EPUB_ENTRY_BYTES = 32 * 1024 * 1024;
/** The most all the files read from one book may unpack to together. */
export const MAX_EPUB_TOTAL_BYTES = 512 * 1024 * 1024;
/** More files than this is not a book. */
export const MAX_EPUB_ENTRIES = 50_000;

export class EpubArchive {
  private readonly entries = new Map<string, Entry>();
  /** Lower-cased names, for books whose links differ from their file names in case only. */
  private readonly folded = new Map<string, Entry>();
  private bytesRead = 0;

  private constructor(
    private readonly path: string,
    private readonly zip: ZipFile,
  ) {}

  /** Opens the archive and reads its directory; a ValidationError when it is not a readable zip. */
  static async open(path: string): Promise<EpubArchive> {
    const yauzl = await import('yauzl');
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true });
    } catch (error) {
      throw notAZip(path, error);
    }
    const archive = new EpubArchive(path, zip);
    try {
      await archive.readDirectory();
    } catch (error) {
      archive.close();
      throw error instanceof ValidationError ? error : notAZip(path, error);
    }
    return archive;
  }

  private async readDirectory(): Promise<void> {
    if (this.zip.entryCount > MAX_EPUB_ENTRIES) {
      throw new ValidationError(`${this.path} holds ${this.zip.entryCount} files, more than the ${MAX_EPUB_ENTRIES} a book may have: it is not an EPUB this reader accepts.`);
    }
    for await (const entry of this.zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      this.entries.set(entry.fileName, entry);
      if (!this.folded.has(entry.fileName.toLowerCase())) this.folded.set(entry.fileName.toLowerCase(), entry);
    }
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The text of the entry `name` (UTF-8 unless a byte-order mark says UTF-16), or undefined when absent. */
  async readText(name: string): Promise<string | undefined> {
    const entry = this.find(name);
    if (!entry) return undefined;
    const bytes = await this.readEntry(entry);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
    return new TextDecoder('utf-8').decode(bytes);
  }

  close(): void {
    this.zip.close();
  }

  private find(name: string): Entry | undefined {
    return this.entries.get(name) ?? this.folded.get(name.toLowerCase());
  }

  private async readEntry(entry: Entry): Promise<Buffer> {
    const declared = entry.uncompressedSize;
    if (declared > MAX_EPUB_ENTRY_BYTES) throw this.tooLarge(entry.fileName, declared);
    if (this.bytesRead + declared > MAX_EPUB_TOTAL_BYTES) {
      throw new ValidationError(`${this.path} unpacks to more than ${mebibytes(MAX_EPUB_TOTAL_BYTES)} MiB of text: it is not an EPUB this reader accepts (a zip bomb?).`);
    }
    if (entry.isEncrypted()) throw new ValidationError(`${this.path} is encrypted (${entry.fileName} needs a password): use an unprotected copy of the book.`);
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      const stream = await this.zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        length += chunk.length;
        if (length > MAX_EPUB_ENTRY_BYTES || length > declared) {
          stream.destroy();
          throw this.tooLarge(entry.fileName, length);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw new ValidationError(`${this.path} is damaged (${entry.fileName}: ${messageOf(error)}): get a fresh copy of the book.`, { cause: error });
    }
    this.bytesRead += length;
    return Buffer.concat(chunks, length);
  }

  private tooLarge(name: string, bytes: number): ValidationError {
    return new ValidationError(
      `${this.path}: ${name} unpacks to ${mebibytes(bytes)} MiB or more, more than the ${mebibytes(MAX_EPUB_ENTRY_BYTES)} MiB one file of a book may hold: it is not an EPUB this reader accepts (a zip bomb?).`,
    );
  }
}

function notAZip(path: string, error: unknown): ValidationError {
  return new ValidationError(`${path} is not a valid EPUB (it is not a readable zip archive: ${messageOf(error)}): get a fresh copy of the book.`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function mebibytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 10) / 10);
}
