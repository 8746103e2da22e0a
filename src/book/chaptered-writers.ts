// Writers of one chaptered audio file from a book's parts, in order: MP3 with an ID3v2 chapter tag
// (audio/id3-chapters.ts), WAV with cue points and labels (audio/wav-cues.ts). Each writes to a
// temporary file beside its target (core/atomic-file.ts): the file appears complete or not at all.
// The caller hands over each part's audio with its measured duration and learns where in the
// output that part starts (what subtitle timestamps are offset by).
import { AtomicFile } from '../core/atomic-file.js';
import type { ChapterMark } from '../audio/chapter-marks.js';
import { id3ChapterTag } from '../audio/id3-chapters.js';
import { Mp3Joiner } from '../audio/mp3-join.js';
import { wavCueChunks } from '../audio/wav-cues.js';
import { wavHeader } from '../audio/wav-writer.js';

export interface ChapteredWriter {
  /** The next parts belong to a new chapter titled `title`. */
  beginChapter(title: string): void;
  /** Writes a part; returns the second of the output where it starts. */
  writePart(audio: Buffer, durationSeconds: number): Promise<number>;
  /** Writes what only the end can tell (chapter times, sizes) and puts the file in place. */
  commit(): Promise<ChapterMark[]>;
  /** Removes the temporary file; a no-op after commit(). */
  discard(): Promise<void>;
}

/** Chapter marks as parts arrive: each chapter starts where its first part starts. */
class ChapterClock {
  readonly marks: ChapterMark[] = [];
  private opened = false;

  begin(title: string): void {
    this.marks.push({ title, startSeconds: 0, endSeconds: 0 });
    this.opened = true;
  }

  part(startSeconds: number, durationSeconds: number): void {
    const mark = this.marks.at(-1);
    if (!mark) return;
    if (this.opened) mark.startSeconds = startSeconds;
    this.opened = false;
    mark.endSeconds = startSeconds + durationSeconds;
  }
}

/** A file written at known positions, so the header can be written again at the end. */
class PositionedFile {
  position = 0;
  constructor(readonly file: AtomicFile) {}

  async append(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return;
    await this.file.handle.write(bytes, 0, bytes.length, this.position);
    this.position += bytes.length;
  }

  async writeAt(offset: number, bytes: Buffer): Promise<void> {
    await this.file.handle.write(bytes, 0, bytes.length, offset);
  }

  /** Writes the closing bytes, then moves the file into place; on a failure the file is discarded. */
  async finish(writeEnd: () => Promise<void>): Promise<void> {
    try {
      await writeEnd();
    } catch (error) {
      await this.file.discard();
      throw this.file.failure(error);
    }
    await this.file.commit();
  }
}

export class Mp3ChapteredWriter implements ChapteredWriter {
  private readonly clock = new ChapterClock();
  private readonly joiner = new Mp3Joiner();
  private parts = 0;

  private constructor(
    private readonly out: PositionedFile,
    private readonly titles: readonly string[],
    private readonly bookTitle: string | undefined,
  ) {}

  /** `titles`: every chapter's, in order; the tag's size depends on them alone. */
  static async open(path: string, titles: readonly string[], bookTitle?: string): Promise<Mp3ChapteredWriter> {
    const out = new PositionedFile(await AtomicFile.create(path, { usageErrors: 'none' }));
    const writer = new Mp3ChapteredWriter(out, titles, bookTitle);
    await out.append(writer.tag(titles.map((title) => ({ title, startSeconds: 0, endSeconds: 0 }))));
    return writer;
  }

  private tag(marks: ChapterMark[]): Buffer {
    return id3ChapterTag(marks, this.bookTitle);
  }

  beginChapter(title: string): void {
    this.clock.begin(title);
  }

  async writePart(audio: Buffer, durationSeconds: number): Promise<number> {
    if (this.parts > 0) await this.out.append(this.joiner.endPart());
    this.parts += 1;
    const joined = this.joiner.push(audio);
    const start = this.joiner.partOffsetSeconds();
    await this.out.append(joined);
    this.clock.part(start, durationSeconds);
    return start;
  }

  async commit(): Promise<ChapterMark[]> {
    await this.out.finish(async () => {
      await this.out.append(this.joiner.end());
      if (this.clock.marks.length !== this.titles.length) throw new Error('every chapter was not written');
      // Same titles, same size: the real tag fits exactly over the placeholder.
      await this.out.writeAt(0, this.tag(this.clock.marks));
    });
    return this.clock.marks;
  }

  discard(): Promise<void> {
    return this.out.file.discard();
  }
}

const WAV_BYTES_PER_SAMPLE = 2;

export class WavChapteredWriter implements ChapteredWriter {
  private readonly clock = new ChapterClock();
  private dataBytes = 0;

  private constructor(
    private readonly out: PositionedFile,
    private readonly sampleRateHertz: number,
  ) {}

  static async open(path: string, sampleRateHertz: number): Promise<WavChapteredWriter> {
    const out = new PositionedFile(await AtomicFile.create(path, { usageErrors: 'none' }));
    const writer = new WavChapteredWriter(out, sampleRateHertz);
    await out.append(writer.header());
    return writer;
  }

  private header(): Buffer {
    return wavHeader({ sampleRateHertz: this.sampleRateHertz, channels: 1, bitsPerSample: 16, dataBytes: this.dataBytes });
  }

  beginChapter(title: string): void {
    this.clock.begin(title);
  }

  async writePart(audio: Buffer, _durationSeconds: number): Promise<number> {
    // Counted from the samples, not the stored duration: the cue points are sample offsets.
    const start = this.dataBytes / WAV_BYTES_PER_SAMPLE / this.sampleRateHertz;
    await this.out.append(audio);
    this.dataBytes += audio.length;
    this.clock.part(start, audio.length / WAV_BYTES_PER_SAMPLE / this.sampleRateHertz);
    return start;
  }

  async commit(): Promise<ChapterMark[]> {
    await this.out.finish(async () => {
      if (this.dataBytes % 2 === 1) await this.out.append(Buffer.alloc(1));
      await this.out.append(wavCueChunks(this.clock.marks, this.sampleRateHertz));
      const header = this.header();
      header.writeUInt32LE(this.out.position - 8, 4); // RIFF size: the cue and LIST chunks too
      await this.out.writeAt(0, header);
    });
    return this.clock.marks;
  }

  discard(): Promise<void> {
    return this.out.file.discard();
  }
}
