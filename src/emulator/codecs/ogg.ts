// A minimal Ogg page writer (RFC 3533) for one logical stream: enough for Ogg Opus files.
import { crc32Ogg } from './crc.js';

const OGG_HEADER_BYTES = 27;
const MAX_SEGMENTS_PER_PAGE = 255;
const LACING_MAX = 255;
export const OGG_FLAG_CONTINUED = 0x01;
export const OGG_FLAG_BOS = 0x02;
export const OGG_FLAG_EOS = 0x04;

export class OggPageWriter {
  private serial: number;
  private sequence = 0;

  constructor(serial: number) {
    this.serial = serial >>> 0;
  }

  /**
   * Pages holding `packets` completely. `granules` is the granule position after each packet (or
   * one value for all); each page gets the granule of the last packet that ends on it, or -1 when
   * none does (RFC 3533). BOS goes on the first page, EOS on the last.
   */
  pages(packets: readonly Buffer[], granules: bigint | readonly bigint[], options: { bos?: boolean; eos?: boolean } = {}): Buffer {
    const granuleAfter = (packet: number): bigint => (typeof granules === 'bigint' ? granules : granules[packet] ?? -1n);
    // Lacing values for all packets, then cut into pages of at most 255 segments.
    const segments: { length: number; endsPacket: number | undefined }[] = [];
    packets.forEach((packet, index) => {
      let remaining = packet.length;
      while (remaining >= LACING_MAX) {
        segments.push({ length: LACING_MAX, endsPacket: undefined });
        remaining -= LACING_MAX;
      }
      segments.push({ length: remaining, endsPacket: index });
    });
    const data = Buffer.concat(packets);
    const out: Buffer[] = [];
    let segIndex = 0;
    let dataOffset = 0;
    let continued = false;
    do {
      const pageSegments = segments.slice(segIndex, segIndex + MAX_SEGMENTS_PER_PAGE);
      segIndex += pageSegments.length;
      const isLast = segIndex >= segments.length;
      const bodyLength = pageSegments.reduce((sum, s) => sum + s.length, 0);
      let flags = continued ? OGG_FLAG_CONTINUED : 0;
      if (out.length === 0 && options.bos) flags |= OGG_FLAG_BOS;
      if (isLast && options.eos) flags |= OGG_FLAG_EOS;
      const lastEnded = [...pageSegments].reverse().find((s) => s.endsPacket !== undefined)?.endsPacket;
      const pageGranule = lastEnded !== undefined ? granuleAfter(lastEnded) : packets.length === 0 ? granuleAfter(0) : -1n;
      out.push(this.page(flags, pageGranule, pageSegments.map((s) => s.length), data.subarray(dataOffset, dataOffset + bodyLength)));
      dataOffset += bodyLength;
      continued = pageSegments.length > 0 && pageSegments[pageSegments.length - 1]!.endsPacket === undefined;
    } while (segIndex < segments.length);
    return Buffer.concat(out);
  }

  private page(flags: number, granule: bigint, lacing: number[], body: Buffer): Buffer {
    const header = Buffer.alloc(OGG_HEADER_BYTES + lacing.length);
    header.write('OggS', 0, 'ascii');
    header[4] = 0; // version
    header[5] = flags;
    header.writeBigInt64LE(granule, 6);
    header.writeUInt32LE(this.serial, 14);
    header.writeUInt32LE(this.sequence++, 18);
    header.writeUInt32LE(0, 22); // CRC, filled below
    header[26] = lacing.length;
    for (let i = 0; i < lacing.length; i++) header[OGG_HEADER_BYTES + i] = lacing[i]!;
    const page = Buffer.concat([header, body]);
    page.writeUInt32LE(crc32Ogg(page), 22);
    return page;
  }
}
