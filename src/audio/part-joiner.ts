// Joins the audio of several requests (the parts of a long text) into one valid stream, as the
// bytes arrive. Concatenating the parts as they come is right for PCM and G.711 (no container),
// but not for the rest:
//  - FLAC: each part is a whole file (`fLaC`, STREAMINFO, frames numbered from 0), and most
//    decoders stop at the second marker (flac-join.ts);
//  - Ogg Opus: each part is a stream of its own, chained with the same serial number, which most
//    players stop after and ffprobe measures as the first part only (ogg-opus-join.ts);
//  - MP3: frames concatenate fine, but an ID3v2 tag or a Xing/Info/VBRI frame from a part's
//    encoder would sit mid-file or describe the first part only (mp3-join.ts).
// Memory stays flat: a joiner holds at most one frame or page.
import { FlacJoiner } from './flac-join.js';
import { Mp3Joiner } from './mp3-join.js';
import { OggOpusJoiner } from './ogg-opus-join.js';

/** Bytes to write over the joined stream once it is complete (a seekable destination only). */
export interface HeaderPatch {
  /** Byte offset in the joined stream. */
  offset: number;
  bytes: Buffer;
}

export interface PartJoiner {
  /** The joined bytes for the next piece of the current part (empty while a frame or page is incomplete). */
  push(bytes: Uint8Array): Buffer;
  /** The current part is complete and another follows: what it still held. */
  endPart(): Buffer;
  /** The last part is complete: what it still held. */
  end(): Buffer;
  /**
   * Seconds of joined audio before the current part's own time zero (where its timestamps start);
   * after endPart(), the next part's.
   */
  partOffsetSeconds(): number;
  /**
   * After end(): header fields only the whole stream could tell (FLAC's total samples), to write
   * over the start of a seekable file. A pipe keeps the header as sent, which says "unknown".
   */
  headerPatch(): HeaderPatch | undefined;
}

export type JoinedContainer = 'pcm_s16le' | 'mulaw' | 'alaw' | 'mp3' | 'ogg_opus' | 'flac';

/** A joiner for parts in `container`; undefined where plain concatenation is already one stream. */
export function createPartJoiner(container: JoinedContainer): PartJoiner | undefined {
  switch (container) {
    case 'flac':
      return new FlacJoiner();
    case 'ogg_opus':
      return new OggOpusJoiner();
    case 'mp3':
      return new Mp3Joiner();
    default:
      return undefined;
  }
}
