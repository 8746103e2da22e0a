// How long the audio in a byte stream plays, measured from the bytes themselves as they arrive, for
// every encoding the service sends. Caption offsets and printed durations come from here, so they
// follow the audio actually written rather than the last word's end time (which leaves out
// trailing silence and, for MP3, each request's encoder delay and padding).
//
//  - s16le PCM and G.711: bytes / (bytes per sample * rate * channels).
//  - MP3: frame headers walked one by one (samples per frame / rate); an ID3v2 tag is skipped and
//    a Xing/Info/VBRI frame counts nothing, as decoders do.
//  - Ogg Opus: the last page's granule position minus the pre-skip from OpusHead, at 48 kHz, summed
//    over chained streams (a new BOS page starts a new link, even with a reused serial).
//  - FLAC: frame headers (block size / rate), accepted only with a valid CRC-8 and the expected
//    frame number, so sample bytes that look like a sync code are not counted; a new `fLaC`
//    starts a new stream.
// Partial frames and pages wait in a small carry buffer for the next push.

export type MeteredContainer = 'pcm_s16le' | 'mulaw' | 'alaw' | 'mp3' | 'ogg_opus' | 'flac';

interface Parser {
  /** Consumes what it can from `data`; returns the number of bytes it must see again next time. */
  parse(data: Buffer): number;
  seconds(): number;
}

export class AudioDurationMeter {
  private readonly parser: Parser;
  private carry: Buffer = Buffer.alloc(0);

  constructor(container: MeteredContainer, sampleRateHertz: number, channels = 1) {
    this.parser = parserFor(container, sampleRateHertz, Math.max(1, channels));
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const keep = this.parser.parse(data);
    this.carry = keep > 0 ? Buffer.from(data.subarray(data.length - keep)) : Buffer.alloc(0);
  }

  /** Seconds of audio in everything pushed so far. */
  get seconds(): number {
    return this.parser.seconds();
  }
}

/**
 * The container an audioEncoding's bytes are measured as, once any WAV header has been removed
 * (LINEAR16, WAV and PCM are all s16le then); undefined for an unknown encoding.
 */
export function meteredContainerFor(encoding: string | undefined): MeteredContainer | undefined {
  switch (encoding) {
    case 'LINEAR16':
    case 'WAV':
    case 'PCM':
      return 'pcm_s16le';
    case 'MULAW':
      return 'mulaw';
    case 'ALAW':
      return 'alaw';
    case 'MP3':
      return 'mp3';
    case 'OGG_OPUS':
      return 'ogg_opus';
    case 'FLAC':
      return 'flac';
    default:
      return undefined;
  }
}

/** The duration of one complete buffer. */
export function measureDuration(container: MeteredContainer, sampleRateHertz: number, bytes: Uint8Array, channels = 1): number {
  const meter = new AudioDurationMeter(container, sampleRateHertz, channels);
  meter.push(bytes);
  return meter.seconds;
}

function parserFor(container: MeteredContainer, rate: number, channels: number): Parser {
  switch (container) {
    case 'pcm_s16le':
      return fixedRate(2 * rate * channels);
    case 'mulaw':
    case 'alaw':
      return fixedRate(rate * channels);
    case 'mp3':
      return new Mp3Frames();
    case 'ogg_opus':
      return new OggOpusPages();
    case 'flac':
      return new FlacFrames();
  }
}

function fixedRate(bytesPerSecond: number): Parser {
  let bytes = 0;
  return {
    parse(data) {
      bytes += data.length;
      return 0;
    },
    seconds: () => (bytesPerSecond > 0 ? bytes / bytesPerSecond : 0),
  };
}

const MP3_BITRATES_KBPS = {
  v1l1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  v1l2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  v2l23: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_RATES_HZ: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface Mp3Header {
  bytes: number;
  samples: number;
  rate: number;
  /** Where a Xing/Info tag would sit in this frame. */
  tagOffset: number;
}

/** Parses the 4-byte MPEG audio frame header at `at`; undefined when it is not a valid one. */
export function parseMp3Header(data: Buffer, at: number): Mp3Header | undefined {
  if (data[at] !== 0xff || (data[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (data[at + 1]! >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const layer = 4 - ((data[at + 1]! >> 1) & 3); // 1..3; 4 is reserved
  const bitrateIndex = data[at + 2]! >> 4;
  const rateIndex = (data[at + 2]! >> 2) & 3;
  if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const padding = (data[at + 2]! >> 1) & 1;
  const mono = data[at + 3]! >> 6 === 3;
  const v1 = version === 3;
  const table = v1 ? (layer === 1 ? 'v1l1' : layer === 2 ? 'v1l2' : 'v1l3') : layer === 1 ? 'v2l1' : 'v2l23';
  const bitrate = MP3_BITRATES_KBPS[table][bitrateIndex]! * 1000;
  const rate = MP3_RATES_HZ[version]![rateIndex]!;
  const samples = layer === 1 ? 384 : layer === 2 || v1 ? 1152 : 576;
  const bytes = layer === 1 ? (Math.floor((12 * bitrate) / rate) + padding) * 4 : Math.floor(((samples / 8) * bitrate) / rate) + padding;
  const sideInfo = v1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { bytes, samples, rate, tagOffset: 4 + sideInfo };
}

class Mp3Frames implements Parser {
  private total = 0;
  private skip = 0;

  parse(data: Buffer): number {
    let at = Math.min(this.skip, data.length);
    this.skip -= at;
    while (at < data.length) {
      if (data.length - at < 10) return data.length - at;
      if (data.toString('latin1', at, at + 3) === 'ID3') {
        // ID3v2: 10-byte header, a syncsafe size, and a 10-byte footer when flagged.
        const size = ((data[at + 6]! & 0x7f) << 21) | ((data[at + 7]! & 0x7f) << 14) | ((data[at + 8]! & 0x7f) << 7) | (data[at + 9]! & 0x7f);
        const length = 10 + size + (data[at + 5]! & 0x10 ? 10 : 0);
        if (at + length > data.length) {
          this.skip = at + length - data.length;
          return 0;
        }
        at += length;
        continue;
      }
      const header = parseMp3Header(data, at);
      if (!header) {
        at += 1; // not a frame (junk, an ID3v1 tag): look for the next sync
        continue;
      }
      if (at + header.bytes > data.length) return data.length - at;
      const tag = data.toString('latin1', at + header.tagOffset, at + header.tagOffset + 4);
      const vbri = data.toString('latin1', at + 36, at + 40);
      if (tag !== 'Xing' && tag !== 'Info' && vbri !== 'VBRI') this.total += header.samples / header.rate;
      at += header.bytes;
    }
    return 0;
  }

  seconds(): number {
    return this.total;
  }
}

const OPUS_GRANULE_RATE_HZ = 48000;

interface OggLink {
  serial: number;
  preSkip: number;
  lastGranule: bigint;
  opus: boolean;
}

class OggOpusPages implements Parser {
  private readonly links: OggLink[] = [];

  parse(data: Buffer): number {
    let at = 0;
    while (at < data.length) {
      if (data.length - at < 27) return data.length - at;
      if (data.toString('latin1', at, at + 4) !== 'OggS') {
        const next = data.indexOf('OggS', at + 1, 'latin1');
        if (next < 0) return Math.min(3, data.length - at);
        at = next;
        continue;
      }
      const segments = data[at + 26]!;
      if (data.length - at < 27 + segments) return data.length - at;
      let bodyBytes = 0;
      for (let i = 0; i < segments; i += 1) bodyBytes += data[at + 27 + i]!;
      const pageBytes = 27 + segments + bodyBytes;
      if (data.length - at < pageBytes) return data.length - at;
      this.page(data.subarray(at, at + pageBytes), 27 + segments);
      at += pageBytes;
    }
    return 0;
  }

  private page(page: Buffer, bodyOffset: number): void {
    const serial = page.readUInt32LE(14);
    const granule = page.readBigInt64LE(6);
    if (page[5]! & 0x02) {
      const opus = page.toString('latin1', bodyOffset, bodyOffset + 8) === 'OpusHead';
      const preSkip = opus && page.length >= bodyOffset + 12 ? page.readUInt16LE(bodyOffset + 10) : 0;
      this.links.push({ serial, preSkip, lastGranule: 0n, opus });
    }
    let link: OggLink | undefined;
    for (let i = this.links.length - 1; i >= 0 && !link; i -= 1) if (this.links[i]!.serial === serial) link = this.links[i];
    // -1 marks a page on which no packet ends.
    if (link && granule >= 0n && granule > link.lastGranule) link.lastGranule = granule;
  }

  seconds(): number {
    let samples = 0;
    for (const link of this.links) if (link.opus) samples += Math.max(0, Number(link.lastGranule) - link.preSkip);
    return samples / OPUS_GRANULE_RATE_HZ;
  }
}

const FLAC_RATES_HZ = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
function crc8(data: Buffer, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i += 1) {
    crc ^= data[i]!;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

interface FlacFrame {
  headerBytes: number;
  number: number;
  blockSize: number;
  rate: number;
}

/**
 * Parses a FLAC frame header at `at`: undefined unless it is a valid one, 'short' when `data` ends
 * before the header does.
 */
export function parseFlacFrameHeader(data: Buffer, at: number, streamRate: number): FlacFrame | 'short' | undefined {
  if (data.length - at < 6) return 'short';
  if (data[at] !== 0xff || (data[at + 1]! & 0xfe) !== 0xf8) return undefined;
  const blockCode = data[at + 2]! >> 4;
  const rateCode = data[at + 2]! & 0x0f;
  if (blockCode === 0 || rateCode === 15 || data[at + 3]! >> 4 >= 11 || data[at + 3]! & 1) return undefined;
  // The frame (or sample) number, coded like UTF-8 in 1 to 7 bytes.
  let p = at + 4;
  const lead = data[p]!;
  let extra = lead < 0x80 ? 0 : lead >= 0xfe ? 6 : lead >= 0xfc ? 5 : lead >= 0xf8 ? 4 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
  if (extra < 0) return undefined;
  if (p + extra >= data.length) return 'short';
  let number = extra === 0 ? lead : lead & (0x3f >> extra);
  for (p += 1; extra > 0; extra -= 1, p += 1) {
    if ((data[p]! & 0xc0) !== 0x80) return undefined;
    number = number * 64 + (data[p]! & 0x3f);
  }
  let blockSize = blockCode === 1 ? 192 : blockCode <= 5 ? 576 << (blockCode - 2) : blockCode >= 8 ? 256 << (blockCode - 8) : 0;
  if (blockCode === 6) blockSize = data[p++]! + 1;
  else if (blockCode === 7) blockSize = ((data[p++]! << 8) | data[p++]!) + 1;
  let rate = rateCode === 0 ? streamRate : FLAC_RATES_HZ[rateCode] ?? 0;
  if (rateCode === 12) rate = data[p++]! * 1000;
  else if (rateCode === 13) rate = (data[p++]! << 8) | data[p++]!;
  else if (rateCode === 14) rate = ((data[p++]! << 8) | data[p++]!) * 10;
  if (p >= data.length) return 'short';
  if (rate <= 0 || crc8(data, at, p) !== data[p]) return undefined;
  return { headerBytes: p + 1 - at, number, blockSize, rate };
}

class FlacFrames implements Parser {
  private total = 0;
  private streamRate = 0;
  /** Frame number expected next; undefined until the first frame of a stream has been seen. */
  private expected: number | undefined;
  private variable = false;
  private inMetadata = false;
  private skip = 0;

  parse(data: Buffer): number {
    let at = Math.min(this.skip, data.length);
    this.skip -= at;
    while (at < data.length) {
      if (this.inMetadata) {
        if (data.length - at < 4) return data.length - at;
        const last = (data[at]! & 0x80) !== 0;
        const type = data[at]! & 0x7f;
        const length = data.readUIntBE(at + 1, 3);
        if (type === 0) {
          if (data.length - at < 4 + 18) return data.length - at;
          this.streamRate = data.readUIntBE(at + 4 + 10, 3) >> 4;
        }
        if (last) this.inMetadata = false;
        if (at + 4 + length > data.length) {
          this.skip = at + 4 + length - data.length;
          return 0;
        }
        at += 4 + length;
        continue;
      }
      if (data.length - at < 4) return data.length - at;
      if (data[at] === 0x66 && data.toString('latin1', at, at + 4) === 'fLaC') {
        this.inMetadata = true;
        this.expected = undefined;
        at += 4;
        continue;
      }
      const frame = data[at] === 0xff ? parseFlacFrameHeader(data, at, this.streamRate) : undefined;
      if (frame === 'short') return data.length - at;
      const variable = frame !== undefined && (data[at + 1]! & 1) === 1;
      if (frame && (this.expected === undefined || (frame.number === this.expected && variable === this.variable))) {
        this.total += frame.blockSize / frame.rate;
        this.variable = variable;
        this.expected = variable ? frame.number + frame.blockSize : frame.number + 1;
        at += frame.headerBytes;
        continue;
      }
      at += 1;
    }
    return 0;
  }

  seconds(): number {
    return this.total;
  }
}
