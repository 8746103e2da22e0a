// `inworld book` at work: every check before a request (flags, the book, the chapters chosen, the
// output and work directory, each part's request), then the parts synthesized into the work
// directory, then the output assembled from them. A re-run finds the finished parts and requests
// only the rest; a failed chapter is named and the others stay stored.
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InworldError, ValidationError } from '../../core/errors.js';
import type { Book } from '../../book/book.js';
import type { BookContainer } from '../../book/assemble.js';
import type { BookPlan } from '../../book/plan.js';
import type { Shard } from '../../book/shard.js';
import type { PartsSummary } from '../../book/synthesize-parts.js';
import type { SynthesisOptions } from '../../tts/options.js';
import { interruptSignal, reportKept } from '../interrupt.js';
import { createUi, warn, type Ui } from '../ui.js';
import type { AudioOutputPlan } from '../synthesis/audio-output.js';
import { toSynthesisOptions } from '../synthesis/synthesis-flags.js';
import type { BookFlags } from './book.js';
import { BookProgress, clock } from './book-progress.js';
import { listChapters, loadBook, pickChapters } from './book-source.js';

interface Prepared {
  book: Book;
  plan: BookPlan;
  options: SynthesisOptions;
  container: BookContainer;
  output?: string;
  workDir: string;
  shard?: Shard;
  ffmpeg?: string;
}

export async function runBook(file: string, flags: BookFlags): Promise<void> {
  if (flags.listChapters) return listChapters(file, flags);
  const prepared = await prepareBook(file, flags);
  const [{ openContext }, { WorkDir }, { bookTextHash }] = await Promise.all([import('../context.js'), import('../../book/work-dir.js'), import('../../book/plan.js')]);
  const { basename } = await import('node:path');
  const work = await WorkDir.open(prepared.workDir, { source: basename(file), textHash: bookTextHash(prepared.book.chapters) });
  const context = await openContext(flags);
  const ui = await createUi({ quiet: flags.quiet || flags.json });
  const signal = interruptSignal();
  try {
    if (prepared.options.pronunciationDictionaries) {
      const { resolvePronunciationDictionaries } = await import('../pronunciations/dictionary-flag.js');
      await resolvePronunciationDictionaries(context.client, prepared.options, signal);
      prepared.plan = (await import('../../book/plan.js')).planBook(prepared.book, prepared.plan.chapters.map((entry) => entry.chapter), prepared.options, prepared.plan.maxTextChars);
    }
    const progress = new BookProgress(prepared.plan, shareOf(prepared), ui, flags.json === true);
    const { synthesizeParts } = await import('../../book/synthesize-parts.js');
    let summary: PartsSummary;
    try {
      const server = flags.server ? await serverParts(context.client, prepared, flags, ui) : {};
      summary = await synthesizeParts(context.client, prepared.plan, work, { concurrency: flags.concurrency, shard: prepared.shard, signal, onEvent: (event) => progress.event(event), ...server });
    } catch (error) {
      ui.stopProgress();
      if (signal.aborted) reportKept(`finished parts${flags.server ? ' and job records' : ''} are kept in ${prepared.workDir}; run the same command again to resume`);
      throw error;
    }
    ui.stopProgress();
    if (summary.failed.length > 0) throw chapterFailures(prepared, summary);
    if (prepared.shard) return reportShard(prepared, summary, flags, progress, ui);
    await assembleAndReport(prepared, work, summary, flags, progress, ui);
  } finally {
    ui.stopProgress();
    await context.close();
  }
}

/** --server: each part through an async job whose record is written before it is submitted. */
async function serverParts(client: import('../../core/client.js').InworldClient, prepared: Prepared, flags: BookFlags, ui: Ui) {
  const [{ jobPartSynthesizer, removeJobDownloads }, { holdInterrupts }] = await Promise.all([import('../../book/job-parts.js'), import('../interrupt.js')]);
  const synthesizePart = jobPartSynthesizer(client, {
    workDir: prepared.workDir,
    uninterruptible: holdInterrupts,
    onSubmitted: (part, name, resumed) => {
      const { chapter } = prepared.plan.chapters[part.chapterIndex]!;
      if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'job', chapter: chapter.number, title: chapter.title, part: part.index + 1, job: name, resumed })}\n`);
      else ui.info(`${resumed ? 'Resuming' : 'Submitted'} job ${name} for chapter ${chapter.number} ("${chapter.title}")`);
    },
  });
  return { synthesizePart, onStored: (part: { key: string }) => removeJobDownloads(prepared.workDir, part.key) };
}

async function assembleAndReport(prepared: Prepared, work: import('../../book/work-dir.js').WorkDir, summary: PartsSummary, flags: BookFlags, progress: BookProgress, ui: Ui): Promise<void> {
  const { assembleBook } = await import('../../book/assemble.js');
  ui.progress('Book: writing the output');
  const result = await assembleBook({ plan: prepared.plan, work, container: prepared.container, output: prepared.output, splitDir: flags.splitChapters, subtitles: flags.subtitles, ffmpeg: prepared.ffmpeg });
  ui.stopProgress();
  if (flags.json) {
    progress.emit({
      type: 'done',
      files: result.files,
      workDir: prepared.workDir,
      chapters: result.chapters.map((mark) => ({ title: mark.title, start: round(mark.startSeconds), end: round(mark.endSeconds) })),
      seconds: round(result.seconds),
      parts: prepared.plan.keys.length,
      synthesized: summary.synthesized,
      reused: summary.reused,
    });
    return;
  }
  const where = flags.splitChapters ? `${result.chapters.length} chapter files in ${flags.splitChapters}` : prepared.output!;
  ui.info(`Wrote ${where} (${result.chapters.length} chapters, ${clock(result.seconds)} of audio; ${summary.synthesized} parts synthesized, ${summary.reused} reused)`);
}

function reportShard(prepared: Prepared, summary: PartsSummary, flags: BookFlags, progress: BookProgress, ui: Ui): void {
  const { index, count } = prepared.shard!;
  if (flags.json) {
    progress.emit({ type: 'done', shard: `${index}/${count}`, workDir: prepared.workDir, synthesized: summary.synthesized, reused: summary.reused });
    return;
  }
  ui.info(`Shard ${index}/${count}: ${summary.synthesized} parts synthesized, ${summary.reused} already done, in ${prepared.workDir}. When every shard is done, run the command without --shard to write the output.`);
}

function chapterFailures(prepared: Prepared, summary: PartsSummary): InworldError {
  for (const failure of summary.failed) {
    const { chapter } = prepared.plan.chapters[failure.chapterIndex]!;
    warn(`chapter ${chapter.number} ("${chapter.title}") failed: ${failure.error.message}`);
  }
  const numbers = summary.failed.map((failure) => prepared.plan.chapters[failure.chapterIndex]!.chapter.number);
  return new InworldError(`${numbers.length} of ${prepared.plan.chapters.length} chapters failed (chapter ${numbers.join(', ')}); the finished parts are kept in ${prepared.workDir}`, {
    hint: 'Run the same command again to synthesize only what is missing',
  });
}

/** The parts and characters this run (or shard) covers: what the progress counts towards. */
function shareOf(prepared: Prepared): { parts: number; characters: number } {
  if (!prepared.shard) return { parts: prepared.plan.keys.length, characters: prepared.plan.characters };
  const { count, index } = prepared.shard;
  const parts = prepared.plan.keys.filter((_, part) => part % count === index - 1).length;
  return { parts, characters: Math.round((prepared.plan.characters * parts) / prepared.plan.keys.length) };
}

/** Every check that needs no network: the flags, the book, the output, each part's request. */
/** An ID3 table of contents counts its chapters in one byte: found out before synthesis, not after. */
async function refuseTooManyMp3Chapters(count: number): Promise<void> {
  const { ID3_MAX_CHAPTERS } = await import('../../audio/id3-chapters.js');
  if (count <= ID3_MAX_CHAPTERS) return;
  throw new ValidationError(`The book has ${count} chapters; an MP3's chapter table holds at most ${ID3_MAX_CHAPTERS}.`, {
    hint: 'Write .m4b or .wav, pick chapters with --chapters, or use --split-chapters <dir>',
  });
}

async function prepareBook(file: string, flags: BookFlags): Promise<Prepared> {
  const { bookContainerFor, serverEncodingFor, BOOK_EXTENSIONS } = await import('../../book/assemble.js');
  refuseSayOnlyFlags(flags);
  const output = flags.output;
  if (!output && !flags.splitChapters) throw new ValidationError('Name the output with -o <file> (.mp3, .m4b, .m4a or .wav), or use --split-chapters <dir>.');
  if (output === '-') throw new ValidationError('A book is written to a file, not standard output: its chapter markers are written last.', { hint: 'Pass -o <file>' });
  const container = bookContainerFor(output ?? splitFormat(flags.encoding));
  if (!container) throw new ValidationError(`Cannot tell the book's format from ${output}`, { hint: `Use one of ${BOOK_EXTENSIONS.join(', ')}` });
  if (output) await checkDirectory(dirname(output), output);
  const ffmpeg = container === 'm4b' ? await requireFfmpeg() : undefined;
  const shard = flags.shard !== undefined ? (await import('../../book/shard.js')).parseShard(flags.shard) : undefined;
  const book = await loadBook(file);
  const chapters = flags.chapters !== undefined ? await pickChapters(book, flags.chapters) : book.chapters;
  if (container === 'mp3' && output) await refuseTooManyMp3Chapters(chapters.length);
  const encoding = serverEncodingFor(container);
  const { formatForEncoding } = await import('../../audio/formats.js');
  const audio: AudioOutputPlan = { destination: 'file', path: output, play: false, format: formatForEncoding(encoding)!, serverEncoding: encoding, sampleRateHertz: flags.sampleRate ?? 24_000 };
  // Word timestamps always: adding --subtitles later then reuses every part already made.
  const options = toSynthesisOptions('', { ...flags, timestamps: flags.timestamps ?? 'word' }, audio);
  const { planBook } = await import('../../book/plan.js');
  const { synthesisWarnings } = await import('../../tts/options.js');
  const maxTextChars = flags.server ? (await import('../../book/job-parts.js')).BOOK_JOB_MAX_TEXT_CHARS : undefined;
  const plan = planBook(book, chapters, options, maxTextChars);
  for (const warning of synthesisWarnings(options)) warn(warning.message, { quiet: flags.quiet || flags.json });
  const { defaultWorkDir } = await import('../../book/work-dir.js');
  const workDir = flags.workDir ?? defaultWorkDir(output ?? flags.splitChapters!.replace(/\/+$/, ''));
  return { book, plan, options, container, output, workDir, shard, ffmpeg };
}

function refuseSayOnlyFlags(flags: BookFlags): void {
  if (flags.play || flags.player !== undefined) throw new ValidationError('A book is written to a file; --play and --player are for `inworld say`.', { hint: 'Drop --play' });
  if (flags.encoding !== undefined && !flags.splitChapters) {
    throw new ValidationError("The book's format comes from the output's extension (.mp3, .m4b, .m4a, .wav), not --encoding.", { hint: 'Drop --encoding' });
  }
  if (flags.subtitles && flags.timestamps === 'character') throw new ValidationError('--subtitles needs word timestamps; drop --timestamps character.');
  if (flags.output && flags.splitChapters) throw new ValidationError('-o writes one file and --split-chapters one file per chapter; choose one.', { hint: 'Drop -o or --split-chapters' });
}

/** --split-chapters files are MP3 unless --encoding asks for WAV (LINEAR16, PCM or WAV). */
function splitFormat(encoding: string | undefined): string {
  if (encoding === undefined || encoding === 'MP3') return 'chapter.mp3';
  if (encoding === 'WAV' || encoding === 'LINEAR16' || encoding === 'PCM') return 'chapter.wav';
  throw new ValidationError(`--split-chapters writes MP3 or WAV files, not ${encoding}.`, { hint: 'Use --encoding MP3 or --encoding WAV' });
}

async function checkDirectory(dir: string, output: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ValidationError(`Cannot write ${output}: the directory ${dir} does not exist.`, { hint: 'Create it first, or choose another -o' });
}

async function requireFfmpeg(): Promise<string> {
  const { findExecutable } = await import('../../audio/find-executable.js');
  const ffmpeg = findExecutable('ffmpeg');
  if (!ffmpeg) throw new ValidationError('M4B and M4A books are encoded to AAC by ffmpeg, which is not installed.', { hint: 'Install ffmpeg (apt-get install ffmpeg), or write .mp3 or .wav' });
  return ffmpeg;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
