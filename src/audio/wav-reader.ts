// Reading WAV headers, the one RIFF chunk walker in the client. WAV is a RIFF file: "RIFF", a
// size, "WAVE", then chunks of (4-byte id, 32-bit little-endian size, body padded to an even
// length) in any order. We never assume a 44-byte header: LIST, fact, bext and anything else are
// skipped. The parser is fed chunks as they arrive and holds only the few header bytes it needs
// (a skipped chunk is counted past, not buffered), so it serves a file or pipe of any length
// (wav-source.ts) as well as the header at the front of a synthesized chunk (stripWavHeader).
// Writing WAV is wav-writer.ts.

export interface WavInfo {
  /** WAVE format tag (for WAVE_FORMAT_EXTENSIBLE, its sub-format's): 1 PCM, 3 float, 6 A-law, 7 µ-law. */
  formatTag: number;
  channels: number;
  sampleRateHertz: number;
  /** Bits per sample as the fmt chunk declares them. */
  bitsPerSample: number;
  /** Bytes per sample frame (all channels), as declared. */
  blockAlign: number;
  /** Offset of the first sample byte: the length of the header. */
  dataOffset: number;
  /** Declared length of the sample data; undefined when the header says "unknown" (a pipe, a streaming writer). */
  dataBytes?: number;
}

/** What the fmt chunk says: everything in WavInfo but where the data is. */
export type WavFormatChunk = Omit<WavInfo, 'dataOffset' | 'dataBytes'>;

/** Why bytes are not a usable WAV header. */
export type WavHeaderProblem =
  | { kind: 'not-wav'; why: string }
  | { kind: 'invalid'; why: string }
  | { kind: 'truncated' }
  | { kind: 'no-data' };

export type WavParseStep =
  | { state: 'more' }
  | { state: 'header'; info: WavInfo; /** The sample bytes that came in the same chunk as the end of the header. */ rest: Buffer }
  | { state: 'bad'; problem: WavHeaderProblem };

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const FMT_MIN_BYTES = 16;
const FMT_EXTENSIBLE_BYTES = 40;
/** The fmt chunk is read into memory; anything claiming more than this is not a real one. */
const MAX_FMT_BYTES = 1024;
/** A size field meaning "unknown / to end of stream" (streaming writers, RF64). */
const UNKNOWN_SIZE = 0xffffffff;
const MORE: WavParseStep = { state: 'more' };
const EMPTY = Buffer.alloc(0);

/** True when `head` starts like a WAV file ("RIFF" or "RF64", a size, "WAVE"). */
export function looksLikeWav(head: Uint8Array): boolean {
  if (head.length < RIFF_HEADER_BYTES) return false;
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const magic = bytes.toString('latin1', 0, 4);
  return (magic === 'RIFF' || magic === 'RF64') && bytes.toString('latin1', 8, 12) === 'WAVE';
}

type Stage = 'riff' | 'chunk-header' | 'fmt-body' | 'skip' | 'done';

export interface WavHeaderParserOptions {
  /** Called with each fmt chunk as it is read; may throw to reject the format before reading on. */
  onFormat?: (format: WavFormatChunk) => void;
}

/** Walks a WAV header fed in chunks of any size, up to the first sample byte. */
export class WavHeaderParser {
  private readonly onFormat?: (format: WavFormatChunk) => void;
  private stage: Stage = 'riff';
  /** Bytes the current stage needs in one piece (RIFF header, chunk header, fmt body). */
  private need = RIFF_HEADER_BYTES;
  private pending: Buffer = EMPTY;
  private skipLeft = 0;
  /** Stream offset of the next byte the parser has not consumed. */
  private offset = 0;
  private seen = 0;
  private magic = '';
  private riffSize = 0;
  private fmtBytes = 0;
  private format: WavFormatChunk | undefined;

  constructor(options: WavHeaderParserOptions = {}) {
    this.onFormat = options.onFormat;
  }

  /** Feeds the next bytes; 'header' once the data chunk starts, with the sample bytes after it. */
  push(chunk: Buffer): WavParseStep {
    if (this.stage === 'done') throw new Error('WAV header already parsed');
    this.seen += chunk.length;
    let at = 0;
    for (;;) {
      if (this.stage === 'skip') {
        const take = Math.min(this.skipLeft, chunk.length - at);
        this.skipLeft -= take;
        this.offset += take;
        at += take;
        if (this.skipLeft > 0) return MORE;
        this.expect('chunk-header', CHUNK_HEADER_BYTES);
        continue;
      }
      const piece = this.take(chunk, at);
      at += piece.taken;
      if (!piece.bytes) return MORE;
      this.offset += piece.bytes.length;
      const step = this.consume(piece.bytes);
      if (step?.state === 'header') return { ...step, rest: chunk.subarray(at) };
      if (step) return step;
    }
  }

  /** The input ended before the header did: what is wrong with it. */
  endProblem(): WavHeaderProblem {
    if (this.seen === 0) return { kind: 'not-wav', why: 'it is empty' };
    switch (this.stage) {
      case 'riff':
        return { kind: 'not-wav', why: 'too short for a RIFF header' };
      case 'chunk-header':
        return this.format ? { kind: 'no-data' } : { kind: 'not-wav', why: 'no fmt chunk' };
      case 'skip':
        return this.format ? { kind: 'no-data' } : { kind: 'truncated' };
      default:
        return { kind: 'truncated' };
    }
  }

  /** Up to `need` bytes gathered from `chunk` at `at`; `bytes` once they are all there. */
  private take(chunk: Buffer, at: number): { taken: number; bytes?: Buffer } {
    const available = chunk.length - at;
    if (this.pending.length === 0 && available >= this.need) {
      return { taken: this.need, bytes: chunk.subarray(at, at + this.need) };
    }
    const taken = Math.min(this.need - this.pending.length, available);
    if (taken > 0) this.pending = Buffer.concat([this.pending, chunk.subarray(at, at + taken)]);
    if (this.pending.length < this.need) return { taken };
    const bytes = this.pending;
    this.pending = EMPTY;
    return { taken, bytes };
  }

  private expect(stage: Stage, bytes: number): void {
    this.stage = stage;
    this.need = bytes;
  }

  /** Acts on one complete piece; a step to return, or undefined to read on. */
  private consume(bytes: Buffer): Exclude<WavParseStep, { state: 'more' }> | undefined {
    switch (this.stage) {
      case 'riff':
        if (!looksLikeWav(bytes)) return bad('not-wav', 'no RIFF/WAVE header');
        this.magic = bytes.toString('latin1', 0, 4);
        this.riffSize = bytes.readUInt32LE(4);
        this.expect('chunk-header', CHUNK_HEADER_BYTES);
        return undefined;
      case 'chunk-header':
        return this.chunkHeader(bytes.toString('latin1', 0, 4), bytes.readUInt32LE(4));
      case 'fmt-body': {
        const format = parseFmt(bytes, this.fmtBytes);
        if (!format) return bad('invalid', 'short extensible fmt chunk');
        this.onFormat?.(format);
        this.format = format;
        this.expect('chunk-header', CHUNK_HEADER_BYTES);
        return undefined;
      }
      default:
        throw new Error(`WAV parser consumed bytes in stage ${this.stage}`);
    }
  }

  private chunkHeader(id: string, size: number): Exclude<WavParseStep, { state: 'more' }> | undefined {
    if (id === 'fmt ') {
      if (size < FMT_MIN_BYTES || size > MAX_FMT_BYTES) return bad('not-wav', `fmt chunk of ${size} bytes`);
      this.fmtBytes = size;
      this.expect('fmt-body', size + (size % 2));
      return undefined;
    }
    if (id === 'data') {
      if (!this.format) return bad('not-wav', 'data chunk before the fmt chunk');
      this.stage = 'done';
      // A streaming header (0xFFFFFFFF, or a 0 placeholder never patched) means "to end of stream".
      const riffUnknown = this.riffSize === 0 || this.riffSize === UNKNOWN_SIZE;
      const unknown = size === UNKNOWN_SIZE || (size === 0 && riffUnknown) || this.magic === 'RF64';
      return { state: 'header', info: { ...this.format, dataOffset: this.offset, dataBytes: unknown ? undefined : size }, rest: EMPTY };
    }
    this.stage = 'skip';
    this.skipLeft = size + (size % 2);
    return undefined;
  }
}

function bad(kind: 'not-wav' | 'invalid', why: string): { state: 'bad'; problem: WavHeaderProblem } {
  return { state: 'bad', problem: { kind, why } };
}

/** The fields of a fmt chunk body of `size` bytes; undefined for an extensible one too short to name its sub-format. */
function parseFmt(body: Buffer, size: number): WavFormatChunk | undefined {
  let formatTag = body.readUInt16LE(0);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < FMT_EXTENSIBLE_BYTES) return undefined;
    // The sub-format GUID starts with the plain format tag.
    formatTag = body.readUInt16LE(24);
  }
  return {
    formatTag,
    channels: body.readUInt16LE(2),
    sampleRateHertz: body.readUInt32LE(4),
    blockAlign: body.readUInt16LE(12),
    bitsPerSample: body.readUInt16LE(14),
  };
}

/** Parses the WAV header at the start of `buffer`; undefined when it is not WAV or the header does not end within it. */
export function parseWavHeader(buffer: Buffer): WavInfo | undefined {
  if (!looksLikeWav(buffer)) return undefined;
  const step = new WavHeaderParser().push(buffer);
  return step.state === 'header' ? step.info : undefined;
}

export interface StrippedChunk {
  /** The audio bytes after any header. */
  audio: Buffer;
  /** The header found at the start of the chunk, if any. */
  wav?: WavInfo;
  /** True when the chunk started like WAV but held no complete header and no audio (a header-only fragment). */
  headerOnly: boolean;
}

/**
 * Cuts a leading WAV header off one chunk of synthesized audio (LINEAR16 puts one on every
 * streamed chunk, WAV on the first); a chunk that does not start with "RIFF....WAVE" is audio
 * and comes back unchanged.
 */
export function stripWavHeader(chunk: Buffer): StrippedChunk {
  if (!looksLikeWav(chunk)) return { audio: chunk, headerOnly: false };
  const step = new WavHeaderParser().push(chunk);
  if (step.state !== 'header') return { audio: EMPTY, headerOnly: true };
  return { audio: step.rest, wav: step.info, headerOnly: false };
}
