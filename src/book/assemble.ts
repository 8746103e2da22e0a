// The book's output from the stored parts, read one at a time in reading order (memory holds one
// part): one chaptered file, or with splitDir one file per chapter; and the whole book's
// subtitles, each part's word timestamps offset by where that part starts in the audio written
// (the timing rule of `say --subtitles`).
import { mkdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ChapterMark } from '../audio/chapter-marks.js';
import { renderCaptions, type WordTiming } from '../audio/captions.js';
import { writeFileAtomically } from '../core/atomic-file.js';
import { InworldError, ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import { Mp3ChapteredWriter, WavChapteredWriter, type ChapteredWriter } from './chaptered-writers.js';
import { M4bChapteredWriter } from './m4b-writer.js';
import type { BookPlan, PlannedChapter } from './plan.js';
import type { WorkDir } from './work-dir.js';

export type BookContainer = 'mp3' | 'wav' | 'm4b';

const CONTAINERS: Readonly<Record<string, BookContainer>> = { '.mp3': 'mp3', '.wav': 'wav', '.m4b': 'm4b', '.m4a': 'm4b' };
export const BOOK_EXTENSIONS = Object.keys(CONTAINERS);

/** The container an output path asks for, from its extension. */
export function bookContainerFor(path: string): BookContainer | undefined {
  return CONTAINERS[extname(path).toLowerCase()];
}

/** What each part is requested as: MP3 for an MP3 book, PCM for the rest (WAV as is, AAC encoded locally). */
export function serverEncodingFor(container: BookContainer): 'MP3' | 'LINEAR16' {
  return container === 'mp3' ? 'MP3' : 'LINEAR16';
}

export interface AssembleOptions {
  plan: BookPlan;
  work: WorkDir;
  container: BookContainer;
  /** One chaptered file (absent with splitDir). */
  output?: string;
  /** One file per chapter in this directory instead. */
  splitDir?: string;
  subtitles?: string;
  /** The ffmpeg program, for M4B. */
  ffmpeg?: string;
}

export interface AssembledBook {
  files: string[];
  chapters: ChapterMark[];
  seconds: number;
}

export async function assembleBook(options: AssembleOptions): Promise<AssembledBook> {
  const { plan } = options;
  const missing = await missingParts(options);
  if (missing > 0) throw new InworldError(`${missing} part(s) of the book are not synthesized yet; run the command again to finish them.`);
  const words: WordTiming[] = [];
  const collect = (partStart: number, timestamps: { words?: Array<{ text: string; start: number; end: number }> } | undefined) => {
    for (const word of timestamps?.words ?? []) words.push({ word: word.text, start: word.start + partStart, end: word.end + partStart });
  };
  const files: string[] = [];
  const chapters: ChapterMark[] = [];
  if (options.splitDir) {
    await mkdir(options.splitDir, { recursive: true }).catch((error: unknown) => {
      throw fileError('write', options.splitDir!, error, { what: 'directory' });
    });
    let bookSeconds = 0;
    for (const entry of plan.chapters) {
      const width = String(plan.chapters.at(-1)!.chapter.number).length;
      const path = join(options.splitDir, chapterFileName(entry, width, options.container));
      const [mark] = await writeChapters(options, path, [entry], (start, stamps) => collect(bookSeconds + start, stamps));
      chapters.push({ title: mark!.title, startSeconds: bookSeconds + mark!.startSeconds, endSeconds: bookSeconds + mark!.endSeconds });
      bookSeconds += mark!.endSeconds;
      files.push(path);
    }
  } else {
    chapters.push(...(await writeChapters(options, options.output!, plan.chapters, collect)));
    files.push(options.output!);
  }
  if (options.subtitles) {
    const format = options.subtitles.toLowerCase().endsWith('.vtt') ? 'vtt' : 'srt';
    await writeFileAtomically(options.subtitles, renderCaptions(format, words), { what: 'subtitles file', usageErrors: 'none' });
    files.push(options.subtitles);
  }
  return { files, chapters, seconds: chapters.at(-1)?.endSeconds ?? 0 };
}

type Collect = (partStartSeconds: number, timestamps: { words?: Array<{ text: string; start: number; end: number }> } | undefined) => void;

async function writeChapters(options: AssembleOptions, path: string, entries: readonly PlannedChapter[], collect: Collect): Promise<ChapterMark[]> {
  const writer = await openWriter(options, path, entries);
  try {
    for (const entry of entries) {
      writer.beginChapter(entry.chapter.title);
      for (let index = entry.firstPart; index < entry.firstPart + entry.parts; index += 1) {
        const part = await options.work.read(options.plan.keys[index]!);
        const start = await writer.writePart(part.audio, part.meta.durationSeconds);
        collect(start, part.meta.timestamps);
      }
    }
    return await writer.commit();
  } catch (error) {
    await writer.discard();
    throw error;
  }
}

async function openWriter(options: AssembleOptions, path: string, entries: readonly PlannedChapter[]): Promise<ChapteredWriter> {
  const titles = entries.map((entry) => entry.chapter.title);
  const bookTitle = options.plan.book.title;
  const sampleRateHertz = options.plan.resolved.audioConfig.sampleRateHertz;
  switch (options.container) {
    case 'mp3':
      return Mp3ChapteredWriter.open(path, titles, entries.length === 1 ? titles[0] : bookTitle);
    case 'wav':
      return WavChapteredWriter.open(path, sampleRateHertz);
    case 'm4b': {
      if (!options.ffmpeg) throw new ValidationError('M4B and M4A books are encoded by ffmpeg, which is not installed.', { hint: 'Install ffmpeg, or write .mp3 or .wav' });
      const marks = await measureChapters(options, entries, sampleRateHertz);
      return M4bChapteredWriter.open({ path, ffmpeg: options.ffmpeg, metadataPath: join(options.work.path, 'chapters.ffmetadata'), marks, sampleRateHertz, bookTitle });
    }
  }
}

/** Chapter times from the stored parts' PCM byte counts, before any audio is written. */
async function measureChapters(options: AssembleOptions, entries: readonly PlannedChapter[], sampleRateHertz: number): Promise<ChapterMark[]> {
  const marks: ChapterMark[] = [];
  let seconds = 0;
  for (const entry of entries) {
    const startSeconds = seconds;
    for (let index = entry.firstPart; index < entry.firstPart + entry.parts; index += 1) {
      const meta = await options.work.readMeta(options.plan.keys[index]!);
      seconds += (meta?.audioBytes ?? 0) / 2 / sampleRateHertz;
    }
    marks.push({ title: entry.chapter.title, startSeconds, endSeconds: seconds });
  }
  return marks;
}

async function missingParts(options: AssembleOptions): Promise<number> {
  let missing = 0;
  for (const key of options.plan.keys) if (!(await options.work.has(key))) missing += 1;
  return missing;
}

/** `07 - The Storm.mp3`: numbered to sort in order, the title made safe for any file system. */
export function chapterFileName(entry: PlannedChapter, numberWidth: number, container: BookContainer): string {
  const number = String(entry.chapter.number).padStart(Math.max(2, numberWidth), '0');
  const title = entry.chapter.title
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 80)
    .trim();
  return `${number}${title ? ` - ${title}` : ''}.${container === 'm4b' ? 'm4b' : container}`;
}
