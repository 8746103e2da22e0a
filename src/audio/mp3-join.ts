// MP3 parts joined into one file. MPEG audio frames concatenate as they are; what does not is
// what an encoder may put around them:
//  - an ID3v2 tag: kept at the very start of the file, dropped from later parts (mid-file, decoders
//    report a missing frame header and ffprobe's size-based duration counts its bytes);
//  - a Xing/Info/VBRI frame (with LAME's delay and padding): dropped from every part, the first too,
//    because its frame count, size and seek table describe that part only (ffprobe then takes the
//    whole file for a bad concatenation and guesses the duration from the bit rate) and its
//    delay/padding would trim the wrong samples;
//  - an ID3v1 tag ("TAG", 128 bytes after the last frame): dropped, it would sit mid-file.
// The emulator's encoder writes none of these; the service's might.
import { parseMp3Header } from './duration-meter.js';
import type { HeaderPatch, PartJoiner } from './part-joiner.js';

const ID3V2_HEADER_BYTES = 10;
const ID3V1_BYTES = 128;
/** Enough of a frame to tell a Xing/Info (at the side-info end) or VBRI (at 36) frame. */
const TAG_PROBE_BYTES = 40;

export class Mp3Joiner implements PartJoiner {
  private pending: Buffer = Buffer.alloc(0);
  /** The tag or frame being passed on or dropped, as its bytes arrive. */
  private body: { remaining: number; copy: boolean } | undefined;
  private written = 0;
  private seconds = 0;
  private partStartSeconds = 0;

  push(bytes: Uint8Array): Buffer {
    if (bytes.length > 0) this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.run(false);
  }

  endPart(): Buffer {
    const out = this.run(true);
    this.partStartSeconds = this.seconds;
    return out;
  }

  end(): Buffer {
    return this.run(true);
  }

  partOffsetSeconds(): number {
    return this.partStartSeconds;
  }

  headerPatch(): HeaderPatch | undefined {
    return undefined;
  }

  private run(flush: boolean): Buffer {
    const out: Buffer[] = [];
    const emit = (bytes: Buffer) => {
      if (bytes.length === 0) return;
      out.push(bytes);
      this.written += bytes.length;
    };
    while (this.step(emit, flush));
    if (flush) {
      // A part's truncated last frame goes on as it is; decoders skip to the next frame.
      if (this.body) this.body = undefined;
      emit(this.take(this.pending.length));
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  private take(count: number): Buffer {
    const taken = this.pending.subarray(0, count);
    this.pending = this.pending.subarray(count);
    return taken;
  }

  /** Handles the next tag, frame or junk byte; false when it must wait for more bytes. */
  private step(emit: (bytes: Buffer) => void, flush: boolean): boolean {
    const data = this.pending;
    if (this.body) {
      const bytes = this.take(Math.min(this.body.remaining, data.length));
      if (this.body.copy) emit(bytes);
      this.body.remaining -= bytes.length;
      if (this.body.remaining > 0) return false;
      this.body = undefined;
      return true;
    }
    if (data.length < ID3V2_HEADER_BYTES) return false;
    if (data.toString('latin1', 0, 3) === 'ID3') {
      // ID3v2: a 10-byte header, a syncsafe size, and a 10-byte footer when flagged.
      const size = ((data[6]! & 0x7f) << 21) | ((data[7]! & 0x7f) << 14) | ((data[8]! & 0x7f) << 7) | (data[9]! & 0x7f);
      this.body = { remaining: ID3V2_HEADER_BYTES + size + (data[5]! & 0x10 ? 10 : 0), copy: this.written === 0 };
      return true;
    }
    if (data.toString('latin1', 0, 3) === 'TAG') {
      this.body = { remaining: ID3V1_BYTES, copy: false };
      return true;
    }
    const header = parseMp3Header(data, 0);
    if (!header) {
      emit(this.take(1)); // not a frame: passed on, as a decoder resynchronises past it
      return true;
    }
    if (data.length < Math.min(header.bytes, TAG_PROBE_BYTES) && !flush) return false;
    const tag = data.toString('latin1', header.tagOffset, header.tagOffset + 4);
    const vbri = data.toString('latin1', 36, 40);
    const info = tag === 'Xing' || tag === 'Info' || vbri === 'VBRI';
    if (!info) this.seconds += header.samples / header.rate;
    this.body = { remaining: header.bytes, copy: !info };
    return true;
  }
}
