// An ID3v2.3 tag with chapters for the start of an MP3 file: one CTOC frame (the top-level,
// ordered table of contents) naming every CHAP frame, each CHAP holding its element id, start and
// end time in milliseconds, the byte offsets 0xFFFFFFFF ("use the times") and an embedded TIT2
// title. The frame layout is the ID3v2 chapter frame addendum's; docs/books.md shows it.
// The tag's size depends only on the titles, so a writer can put it down with placeholder times
// before the audio and write the real tag over it once the audio is measured.
import type { ChapterMark } from './chapter-marks.js';

const ID3_HEADER_BYTES = 10;
const FRAME_HEADER_BYTES = 10;
/** The CTOC entry count is one byte. */
export const ID3_MAX_CHAPTERS = 255;
const NO_BYTE_OFFSET = 0xffffffff;
const CTOC_TOP_LEVEL = 0x02;
const CTOC_ORDERED = 0x01;
/** ID3v2.3 text encoding 1: UTF-16 with a byte order mark. */
const UTF16_WITH_BOM = 0x01;

/** The whole tag: header, the book's TIT2 (if titled), CTOC, then one CHAP per chapter. */
export function id3ChapterTag(chapters: readonly ChapterMark[], bookTitle?: string): Buffer {
  if (chapters.length > ID3_MAX_CHAPTERS) throw new RangeError(`an ID3 table of contents holds at most ${ID3_MAX_CHAPTERS} chapters`);
  const ids = chapters.map((_, index) => `chp${index + 1}`);
  const frames: Buffer[] = [];
  if (bookTitle) frames.push(textFrame('TIT2', bookTitle));
  frames.push(frame('CTOC', Buffer.concat([cString('toc'), Buffer.from([CTOC_TOP_LEVEL | CTOC_ORDERED, chapters.length]), ...ids.map(cString)])));
  chapters.forEach((chapter, index) => frames.push(chapterFrame(ids[index]!, chapter)));
  const body = Buffer.concat(frames);
  const header = Buffer.alloc(ID3_HEADER_BYTES);
  header.write('ID3', 0, 'latin1');
  header[3] = 3; // version 2.3.0
  header[4] = 0;
  header[5] = 0; // no flags: no unsynchronisation, no extended header
  header.set(synchsafe(body.length), 6);
  return Buffer.concat([header, body]);
}

function chapterFrame(id: string, chapter: ChapterMark): Buffer {
  const times = Buffer.alloc(16);
  const startMs = Math.round(chapter.startSeconds * 1000);
  times.writeUInt32BE(startMs, 0);
  times.writeUInt32BE(Math.max(startMs, Math.round(chapter.endSeconds * 1000)), 4);
  times.writeUInt32BE(NO_BYTE_OFFSET, 8);
  times.writeUInt32BE(NO_BYTE_OFFSET, 12);
  return frame('CHAP', Buffer.concat([cString(id), times, textFrame('TIT2', chapter.title)]));
}

function textFrame(id: string, text: string): Buffer {
  const utf16 = Buffer.from(`\ufeff${text}\0`, 'utf16le');
  return frame(id, Buffer.concat([Buffer.from([UTF16_WITH_BOM]), utf16]));
}

/** An ID3v2.3 frame: id, a plain 32-bit big-endian size (not synchsafe in 2.3), two flag bytes. */
function frame(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.write(id, 0, 'latin1');
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'latin1');
}

function synchsafe(value: number): Buffer {
  if (value >= 2 ** 28) throw new RangeError('ID3 tag too large');
  return Buffer.from([(value >> 21) & 0x7f, (value >> 14) & 0x7f, (value >> 7) & 0x7f, value & 0x7f]);
}
