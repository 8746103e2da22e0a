// Chapter markers in a WAV file: a `cue ` chunk with one cue point per chapter start (a sample
// offset into the data chunk) and a LIST chunk of type `adtl` with one `labl` per cue naming it.
// Both follow the data chunk, so a writer streams the audio first and appends them at the end.
import type { ChapterMark } from './chapter-marks.js';

const CUE_POINT_BYTES = 24;

/** The `cue ` and `LIST`/`adtl` chunks for chapters in 16-bit mono PCM at sampleRateHertz. */
export function wavCueChunks(chapters: readonly ChapterMark[], sampleRateHertz: number): Buffer {
  const cue = Buffer.alloc(8 + 4 + CUE_POINT_BYTES * chapters.length);
  cue.write('cue ', 0, 'ascii');
  cue.writeUInt32LE(cue.length - 8, 4);
  cue.writeUInt32LE(chapters.length, 8);
  chapters.forEach((chapter, index) => {
    const at = 12 + index * CUE_POINT_BYTES;
    const sample = Math.round(chapter.startSeconds * sampleRateHertz);
    cue.writeUInt32LE(index + 1, at); // cue point id, matched by its labl
    cue.writeUInt32LE(sample, at + 4); // position in play order
    cue.write('data', at + 8, 'ascii');
    cue.writeUInt32LE(0, at + 12); // chunk start: the one data chunk
    cue.writeUInt32LE(0, at + 16); // block start: uncompressed PCM
    cue.writeUInt32LE(sample, at + 20); // sample offset
  });
  const labels = chapters.map((chapter, index) => labl(index + 1, chapter.title));
  const listBody = Buffer.concat([Buffer.from('adtl', 'ascii'), ...labels]);
  const listHeader = Buffer.alloc(8);
  listHeader.write('LIST', 0, 'ascii');
  listHeader.writeUInt32LE(listBody.length, 4);
  return Buffer.concat([cue, listHeader, listBody]);
}

function labl(id: number, title: string): Buffer {
  const text = Buffer.from(`${title}\0`, 'utf8');
  const header = Buffer.alloc(12);
  header.write('labl', 0, 'ascii');
  header.writeUInt32LE(4 + text.length, 4);
  header.writeUInt32LE(id, 8);
  // Chunks are word-aligned: an odd size is followed by a pad byte it does not count.
  return Buffer.concat([header, text, text.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}
