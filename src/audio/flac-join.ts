// FLAC parts joined into one file. The first part's `fLaC` and metadata are kept; every later
// part's marker and metadata blocks are dropped and its frames appended. Every frame header is
// rewritten to the variable-blocksize form, numbered by its first sample: each part ends with a
// short frame, and a fixed-blocksize stream may only have a short frame at its very end (its
// frame numbers count blocks of one size). The header's CRC-8 and the frame's CRC-16 are
// recomputed; the audio inside a frame is copied untouched.
//
// STREAMINFO goes out before the totals are known, so it says "unknown" (total samples, MD5 and
// frame sizes 0, minimum block size 16 so that it differs from the maximum, as a variable-blocksize
// stream's must); headerPatch() gives the true values for a seekable file to write at the end.
//
// Frames carry no length, so a frame ends where the next valid header (with the next frame or
// sample number) or the next `fLaC` begins, and only if the bytes before it are a matching CRC-16.
// A part's last frame ends with the part (endPart/end).
import { InworldError } from '../core/errors.js';
import { flacCrc16, flacCrc16UntilZero, flacCrc8 } from './checksums.js';
import { parseFlacFrameHeader } from './duration-meter.js';
import type { HeaderPatch, PartJoiner } from './part-joiner.js';

const MARKER = 'fLaC';
const STREAMINFO = 0;
const PADDING = 1;
const SEEKTABLE = 3;
const BLOCK_HEADER_BYTES = 4;
const STREAMINFO_BYTES = 34;
/** The smallest block size the format allows (except for the last block). */
const MIN_BLOCK_SAMPLES = 16;
/** Beyond the largest frame FLAC can code (65535 samples × 8 channels × 32 bits): not FLAC. */
const MAX_FRAME_BYTES = 3 * 1024 * 1024;
const TOTAL_SAMPLES_MASK = (1n << 36n) - 1n;

interface StreamFormat {
  rate: number;
  channels: number;
  bits: number;
  maxBlock: number;
}

interface FrameHeader {
  headerBytes: number;
  number: number;
  blockSize: number;
  variable: boolean;
}

/** What happens to the body of the metadata block being read. */
type BlockBody = 'copy' | 'zero' | 'drop';

export class FlacJoiner implements PartJoiner {
  private pending: Buffer = Buffer.alloc(0);
  private state: 'marker' | 'metadata' | 'frames' = 'marker';
  private parts = 0;
  private first: StreamFormat | undefined;
  /** The metadata block body being passed on or dropped, and whether it is the last block. */
  private body: { remaining: number; mode: BlockBody; last: boolean } | undefined;
  /** The frame at the start of `pending`, once its header has been read. */
  private frame: FrameHeader | undefined;
  /** How far the search for the frame's end has got, and the CRC-16 of pending[0, scanned). */
  private scanned = 0;
  private crc = 0;
  private written = 0;
  private streamInfoOffset = -1;
  private samples = 0;
  private partStartSamples = 0;
  private minFrame = Infinity;
  private maxFrame = 0;
  private minBlock = Infinity;
  private maxBlock = 0;
  private previousBlock: number | undefined;

  push(bytes: Uint8Array): Buffer {
    if (bytes.length > 0) this.pending = Buffer.concat([this.pending, bytes]);
    return this.run(false);
  }

  endPart(): Buffer {
    const out = this.run(true);
    this.state = 'marker';
    this.partStartSamples = this.samples;
    return out;
  }

  end(): Buffer {
    return this.run(true);
  }

  partOffsetSeconds(): number {
    return this.first && this.first.rate > 0 ? this.partStartSamples / this.first.rate : 0;
  }

  headerPatch(): HeaderPatch | undefined {
    if (!this.first || this.streamInfoOffset < 0 || this.previousBlock === undefined) return undefined;
    const info = Buffer.alloc(STREAMINFO_BYTES);
    // The minimum excludes the last block; it must stay below the maximum to mark the stream as
    // variable-blocksize.
    const maxBlock = Math.max(MIN_BLOCK_SAMPLES + 1, this.maxBlock);
    const minBlock = this.minBlock < maxBlock ? Math.max(MIN_BLOCK_SAMPLES, this.minBlock) : MIN_BLOCK_SAMPLES;
    info.writeUInt16BE(minBlock, 0);
    info.writeUInt16BE(maxBlock, 2);
    info.writeUIntBE(this.minFrame === Infinity ? 0 : this.minFrame, 4, 3);
    info.writeUIntBE(this.maxFrame, 7, 3);
    const { rate, channels, bits } = this.first;
    const packed = (BigInt(rate) << 44n) | (BigInt(channels - 1) << 41n) | (BigInt(bits - 1) << 36n) | (BigInt(this.samples) & TOTAL_SAMPLES_MASK);
    info.writeBigUInt64BE(packed, 10);
    // MD5 (bytes 18..33) stays zero: not computed, which the format allows.
    return { offset: this.streamInfoOffset, bytes: info };
  }

  private run(flush: boolean): Buffer {
    const out: Buffer[] = [];
    const emit = (bytes: Buffer) => {
      if (bytes.length === 0) return;
      out.push(bytes);
      this.written += bytes.length;
    };
    for (;;) {
      const progressed = this.state === 'marker' ? this.marker(emit) : this.state === 'metadata' ? this.metadata(emit) : this.frames(emit, flush);
      if (!progressed) break;
    }
    if (flush) {
      // Whatever is left cannot be completed: a truncated frame or metadata block is dropped.
      this.pending = Buffer.alloc(0);
      this.frame = undefined;
      this.body = undefined;
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  private take(count: number): Buffer {
    const taken = this.pending.subarray(0, count);
    this.pending = this.pending.subarray(count);
    return taken;
  }

  private marker(emit: (bytes: Buffer) => void): boolean {
    if (this.pending.length < MARKER.length) return false;
    if (this.pending.toString('latin1', 0, 4) !== MARKER) {
      throw new InworldError(`part ${this.parts + 1} of the FLAC audio does not start with "fLaC"`);
    }
    this.parts += 1;
    const marker = this.take(4);
    if (this.parts === 1) emit(marker);
    this.state = 'metadata';
    return true;
  }

  private metadata(emit: (bytes: Buffer) => void): boolean {
    if (this.body) {
      const count = Math.min(this.body.remaining, this.pending.length);
      if (count === 0 && this.body.remaining > 0) return false;
      const bytes = this.take(count);
      if (this.body.mode === 'copy') emit(bytes);
      else if (this.body.mode === 'zero') emit(Buffer.alloc(count));
      this.body.remaining -= count;
      if (this.body.remaining > 0) return false;
      if (this.body.last) this.state = 'frames';
      this.body = undefined;
      return true;
    }
    if (this.pending.length < BLOCK_HEADER_BYTES) return false;
    const last = (this.pending[0]! & 0x80) !== 0;
    const type = this.pending[0]! & 0x7f;
    const length = this.pending.readUIntBE(1, 3);
    if (type === STREAMINFO) {
      if (length < STREAMINFO_BYTES) throw new InworldError(`part ${this.parts} of the FLAC audio has a STREAMINFO block of ${length} bytes`);
      if (this.pending.length < BLOCK_HEADER_BYTES + STREAMINFO_BYTES) return false;
      const header = this.take(BLOCK_HEADER_BYTES);
      const info = this.take(STREAMINFO_BYTES);
      this.streamInfo(info, header, emit);
      this.body = { remaining: length - STREAMINFO_BYTES, mode: this.parts === 1 ? 'copy' : 'drop', last };
      return true;
    }
    const header = Buffer.from(this.take(BLOCK_HEADER_BYTES));
    // A seek table would point at the first part's frames, whose headers (and so offsets) change.
    if (type === SEEKTABLE) header[0] = (header[0]! & 0x80) | PADDING;
    if (this.parts === 1) emit(header);
    this.body = { remaining: length, mode: this.parts > 1 ? 'drop' : type === SEEKTABLE ? 'zero' : 'copy', last };
    return true;
  }

  private streamInfo(info: Buffer, header: Buffer, emit: (bytes: Buffer) => void): void {
    const packed = info.readBigUInt64BE(10);
    const format: StreamFormat = {
      rate: Number(packed >> 44n),
      channels: Number((packed >> 41n) & 7n) + 1,
      bits: Number((packed >> 36n) & 31n) + 1,
      maxBlock: info.readUInt16BE(2),
    };
    if (!this.first) {
      this.first = format;
      const upFront = Buffer.from(info);
      upFront.writeUInt16BE(MIN_BLOCK_SAMPLES, 0);
      upFront.fill(0, 4, 10); // frame sizes: unknown
      upFront.writeBigUInt64BE(packed & ~TOTAL_SAMPLES_MASK, 10); // total samples: unknown
      upFront.fill(0, 18, 34); // MD5: unknown
      emit(header);
      this.streamInfoOffset = this.written;
      emit(upFront);
      return;
    }
    const { rate, channels, bits, maxBlock } = this.first;
    if (format.rate !== rate || format.channels !== channels || format.bits !== bits || format.maxBlock > maxBlock) {
      const describe = (f: StreamFormat) => `${f.rate} Hz, ${f.channels} channel(s), ${f.bits}-bit, blocks up to ${f.maxBlock}`;
      throw new InworldError(`cannot join the FLAC parts into one file: part ${this.parts} is ${describe(format)}, part 1 ${describe(this.first)}`, {
        hint: 'The service answered one text in different formats; send a shorter text (one request) or choose another --encoding',
      });
    }
  }

  /** Reads the frame at the start of `pending` or looks further for its end; false when it must wait. */
  private frames(emit: (bytes: Buffer) => void, flush: boolean): boolean {
    if (!this.frame) {
      if (this.pending.length < 4 || (this.pending.length < 6 && !flush)) return false;
      if (this.pending.toString('latin1', 0, 4) === MARKER) {
        this.state = 'marker'; // the next part, without an endPart() between
        this.partStartSamples = this.samples;
        return true;
      }
      const header = this.readHeader(0);
      if (header === 'short') return false;
      if (!header) {
        this.take(1); // not a frame: skip to the next sync code
        return true;
      }
      this.frame = header;
      this.scanned = 0;
      this.crc = 0;
    }
    const frame = this.frame;
    // A frame holds at least its header, one subframe byte and its CRC-16.
    const earliestEnd = frame.headerBytes + 3;
    if (this.scanned < earliestEnd) {
      const to = Math.min(earliestEnd, this.pending.length);
      this.crc = flacCrc16(this.pending, this.scanned, to, this.crc);
      this.scanned = to;
      if (to < earliestEnd) return false;
    }
    for (;;) {
      const { at, crc } = flacCrc16UntilZero(this.pending, this.scanned, this.crc);
      this.scanned = at;
      this.crc = crc;
      if (at >= this.pending.length) break;
      const next = this.startsFrameAfter(frame, at, flush);
      if (next === 'short') return false;
      if (next) {
        emit(this.rewrite(frame, at));
        return true;
      }
      this.crc = flacCrc16(this.pending, at, at + 1, this.crc);
      this.scanned = at + 1;
    }
    if (this.pending.length > MAX_FRAME_BYTES) throw new InworldError(`the FLAC audio has no frame boundary in ${MAX_FRAME_BYTES} bytes`);
    if (flush && this.crc === 0) {
      emit(this.rewrite(frame, this.pending.length));
      return true;
    }
    return false;
  }

  private readHeader(at: number): FrameHeader | 'short' | undefined {
    const header = parseFlacFrameHeader(this.pending, at, this.first?.rate ?? 0);
    if (header === 'short' || header === undefined) return header;
    return { headerBytes: header.headerBytes, number: header.number, blockSize: header.blockSize, variable: (this.pending[at + 1]! & 1) === 1 };
  }

  /** Whether the frame that began at 0 ends at `at`: the part's next frame or the next part starts there. */
  private startsFrameAfter(frame: FrameHeader, at: number, flush: boolean): boolean | 'short' {
    if (this.pending[at] === 0x66) {
      if (this.pending.length - at < 4) return flush ? false : 'short';
      return this.pending.toString('latin1', at, at + 4) === MARKER;
    }
    if (this.pending[at] !== 0xff) return false;
    const next = this.readHeader(at);
    if (next === 'short') return flush ? false : 'short';
    if (next === undefined) return false;
    const expected = frame.variable ? frame.number + frame.blockSize : frame.number + 1;
    return next.variable === frame.variable && next.number === expected;
  }

  /** The frame pending[0, end) renumbered by its first sample, with both CRCs recomputed. */
  private rewrite(frame: FrameHeader, end: number): Buffer {
    const source = this.take(end);
    this.frame = undefined;
    const numberBytes = codedNumberLength(source[4]!);
    const number = codeNumber(this.samples);
    const sizeAndRate = source.subarray(4 + numberBytes, frame.headerBytes - 1);
    const headerBytes = 4 + number.length + sizeAndRate.length + 1;
    const body = source.subarray(frame.headerBytes, end - 2);
    const out = Buffer.alloc(headerBytes + body.length + 2);
    out[0] = 0xff;
    out[1] = 0xf9; // sync code, variable blocksize
    out[2] = source[2]!;
    out[3] = source[3]!;
    number.copy(out, 4);
    sizeAndRate.copy(out, 4 + number.length);
    out[headerBytes - 1] = flacCrc8(out, 0, headerBytes - 1);
    body.copy(out, headerBytes);
    out.writeUInt16BE(flacCrc16(out, 0, out.length - 2), out.length - 2);
    this.samples += frame.blockSize;
    this.minFrame = Math.min(this.minFrame, out.length);
    this.maxFrame = Math.max(this.maxFrame, out.length);
    this.maxBlock = Math.max(this.maxBlock, frame.blockSize);
    if (this.previousBlock !== undefined) this.minBlock = Math.min(this.minBlock, this.previousBlock);
    this.previousBlock = frame.blockSize;
    return out;
  }
}

/** Bytes of a coded frame/sample number, from its first byte (FLAC's UTF-8-like coding). */
function codedNumberLength(lead: number): number {
  if (lead < 0x80) return 1;
  let length = 0;
  for (let bit = 0x80; lead & bit; bit >>= 1) length += 1;
  return length;
}

/** A sample number (up to 36 bits) in FLAC's UTF-8-like coding. */
export function codeNumber(value: number): Buffer {
  if (value < 0x80) return Buffer.from([value]);
  let length = 2;
  while (length < 7 && value >= 2 ** (5 * length + 1)) length += 1;
  const out = Buffer.alloc(length);
  for (let i = length - 1; i > 0; i -= 1) out[i] = 0x80 | (Math.floor(value / 2 ** (6 * (length - 1 - i))) % 64);
  out[0] = ((0xff << (8 - length)) & 0xff) | Math.floor(value / 2 ** (6 * (length - 1)));
  return out;
}
