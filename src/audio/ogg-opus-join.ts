// Ogg Opus parts joined into one logical stream. The first part's OpusHead and OpusTags pages are
// kept; a later part's header pages are dropped and its audio pages take the first part's serial
// number, the next page sequence numbers and granule positions continued from where the previous
// part's packets end. Every page's CRC is recomputed; packets are copied untouched.
//
// Granule arithmetic: a granule position counts every 48 kHz sample decoded, the first part's
// pre-skip included. Only the first OpusHead's pre-skip is dropped by a decoder, so a later part's
// own pre-skip (its encoder's start-up samples) plays, and counts. A part's last page may trim the
// padding of its last packet (granule below the samples decoded); only the very last page of the
// stream may, so a part's end-of-stream page is held until it is known whether another part
// follows: then it is rewritten with the granule where its packets really end, else it keeps
// its trim and the end-of-stream flag.
import { InworldError } from '../core/errors.js';
import { oggCrc32 } from './checksums.js';
import type { HeaderPatch, PartJoiner } from './part-joiner.js';

const OGG_HEADER_BYTES = 27;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
const OPUS_RATE_HZ = 48000;
/** OpusHead and OpusTags: the packets before a part's audio. */
const HEADER_PACKETS = 2;
/** Samples per Opus frame at 48 kHz, by the TOC byte's configuration (RFC 6716 §3.1). */
const SILK_FRAME = [480, 960, 1920, 2880];
const HYBRID_FRAME = [480, 960];
const CELT_FRAME = [120, 240, 480, 960];

/** Samples (at 48 kHz) an Opus packet decodes to, from its first two bytes. */
export function opusPacketSamples(toc: number, second: number | undefined): number {
  const config = toc >> 3;
  const frame = config < 12 ? SILK_FRAME[config % 4]! : config < 16 ? HYBRID_FRAME[config % 2]! : CELT_FRAME[config % 4]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : (second ?? 0) & 0x3f;
  return frame * frames;
}

interface Page {
  bytes: Buffer;
  flags: number;
  granule: bigint;
}

interface HeldEnd {
  page: Page;
  /** Where the part's packets end, in its own granule scale (no trim). */
  packetsEnd: bigint;
}

export class OggOpusJoiner implements PartJoiner {
  private pending: Buffer = Buffer.alloc(0);
  private serial: number | undefined;
  private sequence = 0;
  private parts = 0;
  private channels = 0;
  private firstPreSkip = 0;
  private preSkip = 0;
  /** Granule of the joined stream where the current part's first sample lands. */
  private base = 0n;
  /** The current part: packets completed, granule of its last page that had one, samples since. */
  private packets = 0;
  private lastGranule = 0n;
  private samplesSinceGranule = 0;
  /** Samples of the packet that continues onto the next page (counted when it completes). */
  private openPacketSamples = 0;
  private packetOpen = false;
  private held: HeldEnd | undefined;
  /** Between a part's OpusHead and the end of that part. */
  private partOpen = false;
  private lastWrittenGranule = 0n;

  push(bytes: Uint8Array): Buffer {
    if (bytes.length > 0) this.pending = Buffer.concat([this.pending, bytes]);
    const out: Buffer[] = [];
    for (;;) {
      const page = this.nextPage();
      if (!page) break;
      const written = this.page(page);
      if (written) out.push(written);
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  endPart(): Buffer {
    const out = this.push(new Uint8Array(0));
    const ending = this.partOpen ? this.finishPart() : undefined;
    this.pending = Buffer.alloc(0); // a truncated page cannot be completed
    return ending ? Buffer.concat([out, ending]) : out;
  }

  end(): Buffer {
    const out = this.push(new Uint8Array(0));
    this.pending = Buffer.alloc(0);
    if (this.serial === undefined) return out;
    let last: Buffer;
    if (this.held) {
      const { page } = this.held;
      this.held = undefined;
      last = this.rewrite(page, page.granule < 0n ? -1n : this.base + page.granule, FLAG_EOS);
    } else {
      // The part had no end-of-stream page: an empty one ends the stream.
      const empty = Buffer.alloc(OGG_HEADER_BYTES);
      empty.write('OggS', 0, 'latin1');
      last = this.rewrite({ bytes: empty, flags: 0, granule: 0n }, this.lastWrittenGranule, FLAG_EOS);
    }
    return Buffer.concat([out, last]);
  }

  partOffsetSeconds(): number {
    return Number(this.base + BigInt(this.preSkip - this.firstPreSkip)) / OPUS_RATE_HZ;
  }

  headerPatch(): HeaderPatch | undefined {
    return undefined;
  }

  private nextPage(): Page | undefined {
    const data = this.pending;
    if (data.length < OGG_HEADER_BYTES) return undefined;
    if (data.toString('latin1', 0, 4) !== 'OggS') {
      const next = data.indexOf('OggS', 1, 'latin1');
      this.pending = next < 0 ? data.subarray(Math.max(0, data.length - 3)) : data.subarray(next);
      return next < 0 ? undefined : this.nextPage();
    }
    const segments = data[26]!;
    if (data.length < OGG_HEADER_BYTES + segments) return undefined;
    let bodyBytes = 0;
    for (let i = 0; i < segments; i += 1) bodyBytes += data[OGG_HEADER_BYTES + i]!;
    const length = OGG_HEADER_BYTES + segments + bodyBytes;
    if (data.length < length) return undefined;
    this.pending = data.subarray(length);
    const bytes = data.subarray(0, length);
    return { bytes, flags: bytes[5]!, granule: bytes.readBigInt64LE(6) };
  }

  /** Handles one page of the input; returns what to write now. */
  private page(page: Page): Buffer | undefined {
    let ending: Buffer | undefined;
    if (page.flags & FLAG_BOS) {
      // A new part (chained without an endPart() between): the previous one ends here.
      if (this.partOpen) ending = this.finishPart();
      this.startPart(page);
    } else if (this.parts === 0) {
      return undefined; // audio before any OpusHead: nothing to attach it to
    }
    const headerPage = this.packets < HEADER_PACKETS;
    const packetsEnd = this.countPackets(page.bytes);
    if (headerPage) {
      // OpusTags ends its page, so a page is all header or all audio (RFC 7845 §3).
      if (this.parts > 1) return ending;
      const written = this.rewrite(page, 0n, page.flags & FLAG_BOS);
      return ending ? Buffer.concat([ending, written]) : written;
    }
    if (page.flags & FLAG_EOS) {
      this.held = { page, packetsEnd };
      return ending;
    }
    const written = this.rewrite(page, page.granule < 0n ? -1n : this.base + page.granule, 0);
    return ending ? Buffer.concat([ending, written]) : written;
  }

  private startPart(page: Page): void {
    const head = page.bytes.subarray(bodyOffset(page.bytes));
    if (head.length < 19 || head.toString('latin1', 0, 8) !== 'OpusHead') {
      throw new InworldError(`part ${this.parts + 1} of the Ogg audio is not Opus (no OpusHead)`);
    }
    const channels = head[9]!;
    const preSkip = head.readUInt16LE(10);
    this.parts += 1;
    if (this.parts === 1) {
      this.serial = page.bytes.readUInt32LE(14);
      this.channels = channels;
      this.firstPreSkip = preSkip;
    } else if (channels !== this.channels) {
      throw new InworldError(`cannot join the Ogg Opus parts into one file: part ${this.parts} has ${channels} channel(s), part 1 ${this.channels}`, {
        hint: 'The service answered one text in different formats; send a shorter text (one request) or choose another --encoding',
      });
    }
    this.preSkip = preSkip;
    this.partOpen = true;
    this.packets = 0;
    this.lastGranule = 0n;
    this.samplesSinceGranule = 0;
    this.packetOpen = false;
    this.openPacketSamples = 0;
  }

  /**
   * Walks a page's packets (lacing values): counts those that complete, and the samples of the
   * audio ones. Returns where the part's packets end after this page, in its own granule scale.
   */
  private countPackets(bytes: Buffer): bigint {
    const segments = bytes[26]!;
    let offset = OGG_HEADER_BYTES + segments;
    for (let i = 0; i < segments; i += 1) {
      const lacing = bytes[OGG_HEADER_BYTES + i]!;
      if (!this.packetOpen && this.packets >= HEADER_PACKETS) {
        this.openPacketSamples = lacing > 0 ? opusPacketSamples(bytes[offset]!, lacing > 1 ? bytes[offset + 1] : undefined) : 0;
      }
      this.packetOpen = lacing === 255;
      if (!this.packetOpen) {
        if (this.packets >= HEADER_PACKETS) this.samplesSinceGranule += this.openPacketSamples;
        this.packets += 1;
        this.openPacketSamples = 0;
      }
      offset += lacing;
    }
    const packetsEnd = this.lastGranule + BigInt(this.samplesSinceGranule);
    const granule = bytes.readBigInt64LE(6);
    if (granule >= 0n && this.packets > HEADER_PACKETS) {
      this.lastGranule = granule;
      this.samplesSinceGranule = 0;
    }
    return packetsEnd;
  }

  /** Ends the current part with another to follow: its held last page goes out without a trim. */
  private finishPart(): Buffer | undefined {
    this.partOpen = false;
    let out: Buffer | undefined;
    let end = this.lastGranule + BigInt(this.samplesSinceGranule);
    if (this.held) {
      const { page, packetsEnd } = this.held;
      this.held = undefined;
      end = packetsEnd > page.granule ? packetsEnd : page.granule;
      out = this.rewrite(page, this.base + end, 0);
    }
    this.base += end;
    return out;
  }

  /** The page with the joined stream's serial and next sequence number, `granule`, flags and CRC. */
  private rewrite(page: Page, granule: bigint, endFlags: number): Buffer {
    const out = Buffer.from(page.bytes);
    out[5] = (page.flags & ~(FLAG_BOS | FLAG_EOS)) | endFlags;
    out.writeBigInt64LE(granule, 6);
    out.writeUInt32LE(this.serial!, 14);
    out.writeUInt32LE(this.sequence, 18);
    this.sequence += 1;
    out.writeUInt32LE(0, 22);
    out.writeUInt32LE(oggCrc32(out), 22);
    if (granule >= 0n) this.lastWrittenGranule = granule;
    return out;
  }
}

/** Where a page's body starts. */
function bodyOffset(page: Buffer): number {
  return OGG_HEADER_BYTES + page[26]!;
}
