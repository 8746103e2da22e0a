// EPUB to chapters (in progress on this branch).
import { ValidationError } from '../core/errors.js';
import type { Book } from './book.js';

export async function readEpub(path: string): Promise<Book> {
  throw new ValidationError(`${path}: EPUB books are not read yet: convert it to .txt or .md.`);
}
