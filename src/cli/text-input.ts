// Where `say` gets its text: the arguments, a file (-f), or standard input (`-`, or no text while
// stdin is a pipe). Text is checked before any request: empty, binary or invalid UTF-8 input is a
// usage error naming the fix.
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';

export interface TextSource {
  words: string[];
  file?: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export async function readText(source: TextSource): Promise<string> {
  const fromStdin = source.words.length === 1 && source.words[0] === '-';
  if (source.file !== undefined && source.words.length > 0 && !fromStdin) {
    throw new ValidationError('Give the text either as arguments or with --file, not both.');
  }
  let text: string;
  if (source.file !== undefined) {
    text = decodeText(await readFileOrFail(source.file), `file ${source.file}`);
  } else if (fromStdin || (source.words.length === 0 && !source.stdin.isTTY)) {
    text = decodeText(await readAll(source.stdin), 'standard input');
  } else if (source.words.length === 0) {
    throw new ValidationError('No text to speak: pass it as arguments, with --file <path>, or on standard input.', {
      hint: 'Example: inworld say "Hello there" -o hello.wav',
    });
  } else {
    text = source.words.join(' ');
  }
  if (text.trim().length === 0) {
    throw new ValidationError('The text is empty: there is nothing to speak.');
  }
  return text;
}

async function readFileOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw fileError('read', path, error, { beforeRequest: true });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Strict UTF-8 decoding: binary input gets a clear error instead of being spoken as noise. */
export function decodeText(bytes: Uint8Array, what: string): string {
  if (bytes.includes(0)) {
    throw new ValidationError(`The ${what} looks binary (it contains NUL bytes); give plain UTF-8 text.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ValidationError(`The ${what} is not valid UTF-8 text; convert it first (e.g. iconv -t UTF-8).`);
  }
}
