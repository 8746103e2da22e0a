// M4B/M4A output: the book's PCM encoded to AAC by ffmpeg, with chapters from an ffmetadata file
// ([CHAPTER] blocks, TIMEBASE=1/1000). ffmpeg writes to a temporary file beside the target that
// is renamed into place only when it exits cleanly. The chapter times must be known before ffmpeg
// starts, so the caller measures them from the stored parts first (PCM: exact from the bytes).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { AtomicFile } from '../core/atomic-file.js';
import { InworldError } from '../core/errors.js';
import type { ChapterMark } from '../audio/chapter-marks.js';
import { lastLine, stderrTail, trackChild, waitForExit } from '../audio/child-process.js';
import type { ChapteredWriter } from './chaptered-writers.js';

/** AAC bit rate for speech in mono: transparent enough for a voice, small for hours of it. */
const AAC_BIT_RATE = '64k';
const FFMPEG_EXIT_TIMEOUT_MS = 600_000;

/** The ffmetadata text for `marks` (and the book's title). */
export function ffmetadata(marks: readonly ChapterMark[], bookTitle?: string): string {
  const lines = [';FFMETADATA1'];
  if (bookTitle) lines.push(`title=${escapeValue(bookTitle)}`);
  for (const mark of marks) {
    lines.push('[CHAPTER]', 'TIMEBASE=1/1000', `START=${Math.round(mark.startSeconds * 1000)}`, `END=${Math.round(mark.endSeconds * 1000)}`, `title=${escapeValue(mark.title)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** ffmetadata escapes '=', ';', '#', '\' and newlines with a backslash. */
function escapeValue(text: string): string {
  return text.replace(/[=;#\\\n]/g, (char) => `\\${char}`);
}

export class M4bChapteredWriter implements ChapteredWriter {
  private readonly tail: () => string;
  private dataBytes = 0;

  private constructor(
    private readonly file: AtomicFile,
    private readonly child: ChildProcess,
    private readonly marks: ChapterMark[],
    private readonly sampleRateHertz: number,
  ) {
    this.tail = stderrTail(child);
    child.stdin!.on('error', () => undefined); // an early exit is reported by commit()
  }

  static async open(options: { path: string; ffmpeg: string; metadataPath: string; marks: ChapterMark[]; sampleRateHertz: number; bookTitle?: string }): Promise<M4bChapteredWriter> {
    await writeFile(options.metadataPath, ffmetadata(options.marks, options.bookTitle));
    const file = await AtomicFile.create(options.path, { usageErrors: 'none' });
    await file.close();
    const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 's16le', '-ar', String(options.sampleRateHertz), '-ac', '1', '-i', 'pipe:0'];
    args.push('-f', 'ffmetadata', '-i', options.metadataPath, '-map', '0:a', '-map_metadata', '1', '-map_chapters', '1');
    args.push('-c:a', 'aac', '-b:a', AAC_BIT_RATE, '-f', 'mp4', '-movflags', '+faststart', file.tempPath);
    const child = spawn(options.ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    trackChild(child);
    return new M4bChapteredWriter(file, child, options.marks, options.sampleRateHertz);
  }

  beginChapter(_title: string): void {}

  async writePart(audio: Buffer, _durationSeconds: number): Promise<number> {
    const start = this.dataBytes / 2 / this.sampleRateHertz;
    this.dataBytes += audio.length;
    const stdin = this.child.stdin!;
    if (!stdin.write(audio)) await Promise.race([once(stdin, 'drain'), once(this.child, 'exit')]);
    return start;
  }

  async commit(): Promise<ChapterMark[]> {
    this.child.stdin!.end();
    const status = await waitForExit(this.child, FFMPEG_EXIT_TIMEOUT_MS);
    if (status.code !== 0) {
      await this.discard();
      const reason = status.spawnError?.message ?? (lastLine(this.tail()) || `exit ${status.code ?? status.signal}`);
      throw new InworldError(`ffmpeg could not write ${this.file.path}: ${reason}`);
    }
    await this.file.commit();
    return this.marks;
  }

  async discard(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.file.discard();
  }
}
