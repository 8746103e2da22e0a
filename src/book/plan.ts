// A book cut into the parts synthesis requests: each chapter split exactly as `say` splits a long
// text (tts/plan.ts: sentence-aligned parts within one request's limit, markup checked per part),
// never across chapters, so every chapter starts at a part boundary. Each part is named by a hash
// of its text and the whole request body built from it, so a part's stored audio is reused exactly
// when the request would be the same: an edit, another voice or option renames only what it changes.
// Part texts are not kept: they are cut again while iterating, so memory holds the keys only.
import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors.js';
import { TTS_HTTP_MAX_TEXT_CHARS, buildSynthesisBody, type ResolvedSynthesisOptions, type SynthesisOptions } from '../tts/options.js';
import { planSynthesis } from '../tts/plan.js';
import type { Book, BookChapter } from './book.js';

export interface BookPart {
  /** 0-based position among all the plan's parts, in reading order. */
  index: number;
  /** 0-based position of its chapter in the plan. */
  chapterIndex: number;
  text: string;
  /** Hex hash of the request body: the name its audio is stored under. */
  key: string;
}

export interface PlannedChapter {
  chapter: BookChapter;
  /** Index of the chapter's first part. */
  firstPart: number;
  parts: number;
  characters: number;
}

export interface BookPlan {
  book: Book;
  resolved: ResolvedSynthesisOptions;
  chapters: PlannedChapter[];
  /** Every part's key, in reading order. */
  keys: string[];
  characters: number;
  /** The longest text one request carries. */
  maxTextChars: number;
}

/** The synthesis options of every part, without the text (`text` is ignored). */
export type BookSynthesisOptions = Omit<SynthesisOptions, 'text'>;

/** Checks every chapter as `say` checks a text; a ValidationError names the chapter. */
export function planBook(book: Book, chapters: readonly BookChapter[], options: BookSynthesisOptions, maxTextChars: number = TTS_HTTP_MAX_TEXT_CHARS): BookPlan {
  if (chapters.length === 0) throw new ValidationError('The book has no chapters to speak.');
  const planned: PlannedChapter[] = [];
  const keys: string[] = [];
  let resolved: ResolvedSynthesisOptions | undefined;
  let characters = 0;
  for (const chapter of chapters) {
    const split = splitChapter(chapter, options, maxTextChars);
    resolved ??= split.resolved;
    planned.push({ chapter, firstPart: keys.length, parts: split.parts.length, characters: chapter.text.length });
    for (const text of split.parts) keys.push(partKey(split.resolved, text));
    characters += chapter.text.length;
  }
  return { book, resolved: resolved!, chapters: planned, keys, characters, maxTextChars };
}

/** The plan's parts, texts cut again chapter by chapter (only one chapter's parts in memory). */
export function* bookParts(plan: BookPlan): Generator<BookPart> {
  for (const [chapterIndex, entry] of plan.chapters.entries()) {
    const { parts } = splitChapter(entry.chapter, plan.resolved, plan.maxTextChars);
    for (const [offset, text] of parts.entries()) {
      const index = entry.firstPart + offset;
      yield { index, chapterIndex, text, key: plan.keys[index]! };
    }
  }
}

function splitChapter(chapter: BookChapter, options: BookSynthesisOptions, maxTextChars: number): { resolved: ResolvedSynthesisOptions; parts: string[] } {
  if (chapter.text.trim() === '') {
    throw new ValidationError(`Chapter ${chapter.number} ("${chapter.title}") has no text to speak.`, { hint: 'Leave it out with --chapters' });
  }
  try {
    return planSynthesis({ ...options, text: chapter.text }, maxTextChars);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(`Chapter ${chapter.number} ("${chapter.title}"): ${error.message}`, { hint: error.hint });
    }
    throw error;
  }
}

function partKey(resolved: ResolvedSynthesisOptions, text: string): string {
  const body = buildSynthesisBody({ ...resolved, text }, { includeTransportStrategy: false });
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32);
}

/** A hash of the chapters' titles and texts: what the work directory's manifest records. */
export function bookTextHash(chapters: readonly BookChapter[]): string {
  const hash = createHash('sha256');
  for (const chapter of chapters) hash.update(`${chapter.number}\0${chapter.title}\0${chapter.text}\0`);
  return hash.digest('hex');
}
