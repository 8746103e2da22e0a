// Where `say` gets its text: the arguments, a file (-f), or standard input (`-`, or no text while
// stdin is a pipe). Text is checked before any request: empty, binary or invalid UTF-8 input is a
// usage error naming the fix. `stream` reads its input piece by piece instead, under the same rules.
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../core/errors.js';
import { fileError } from '../../core/file-errors.js';

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
    throw nothingToSpeak('no text was given', 'say');
  } else {
    text = source.words.join(' ');
  }
  if (text.trim().length === 0) {
    const what = source.file !== undefined ? `the file ${source.file}` : source.words.length > 0 && !fromStdin ? 'the text' : 'standard input';
    throw nothingToSpeak(`${what} has no words`, 'say');
  }
  return text;
}

/** The one error `say` and `stream` give for empty input: the same words, the fix for each command. */
export function nothingToSpeak(problem: string, command: 'say' | 'stream'): ValidationError {
  const fix = command === 'say' ? 'Give the text as arguments, with -f <file>, or on standard input' : 'Give the text on standard input or with -f <file>';
  return new ValidationError(`Nothing to speak: ${problem}`, { hint: fix });
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

/** `stream`'s input as UTF-8 text, piece by piece as it arrives; stops when interrupted, refuses binary or broken text. */
export async function* decodeTextPieces(input: NodeJS.ReadableStream, signal: AbortSignal): AsyncGenerator<string> {
  // A live pipe that stays open and quiet would hold the read below forever: a stop ends it.
  const stopReading = () => (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  signal.addEventListener('abort', stopReading, { once: true });
  try {
    yield* decodeChunks(input as AsyncIterable<Buffer | string>, signal);
  } catch (error) {
    if (signal.aborted) return; // the read ended because of the stop: not an input error
    throw error;
  } finally {
    signal.removeEventListener('abort', stopReading);
  }
}

async function* decodeChunks(input: AsyncIterable<Buffer | string>, signal: AbortSignal): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const chunk of input) {
    if (signal.aborted) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.includes(0)) throw streamInputError('looks binary (it contains NUL bytes); give plain UTF-8 text');
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw streamInputError('is not valid UTF-8 text; convert it first (e.g. iconv -t UTF-8)');
    }
    if (first && text.length > 0) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    yield text;
  }
  try {
    yield decoder.decode();
  } catch {
    throw streamInputError('ends in the middle of a UTF-8 character');
  }
}

function streamInputError(problem: string): ValidationError {
  return new ValidationError(`The input ${problem}.`);
}
