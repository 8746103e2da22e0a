// Incremental NDJSON decoding for streamed responses (`POST /tts/v1/voice:stream`).
//
// Chunks may end anywhere: mid-line, mid-UTF-8 sequence. Lines are split on the byte 0x0A, which
// never occurs inside a multi-byte UTF-8 sequence, and each complete line is decoded as a whole, so
// characters split across chunks come out intact. Blank lines (and a trailing "\r") are skipped.
// A malformed line is a ProtocolError carrying the line number and a short excerpt; it is never
// skipped, because a skipped line could be the server's error report (the gap LiveKit's JS plugin has).
import { ProtocolError } from './errors.js';

/** A single line longer than this is refused instead of buffered without bound. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const EXCERPT_CHARS = 120;
const NEWLINE_BYTE = 0x0a;
/** What takeLine returns for an empty line (every JSON value, null included, is a real line). */
const BLANK = Symbol('blank line');

export interface NdjsonOptions {
  maxLineBytes?: number;
  /** Whether a malformed line is worth retrying the whole request (default true: nothing was delivered yet). */
  retryable?: boolean;
}

export class NdjsonDecoder {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private lineNumber = 0;
  private readonly maxLineBytes: number;
  private readonly retryable: boolean;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

  constructor(options: NdjsonOptions = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.retryable = options.retryable ?? true;
  }

  /** Feeds bytes; returns the values of every line completed by them, in order. */
  push(chunk: Uint8Array): unknown[] {
    return [...this.values(chunk)];
  }

  /**
   * Feeds bytes and yields each completed line's value as soon as that line is parsed: the first
   * audio of a response goes on its way before the other lines of its chunk are decoded, and when
   * a later line is malformed the values before it have already been delivered.
   */
  *values(chunk: Uint8Array): Generator<unknown> {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const newline = data.indexOf(NEWLINE_BYTE);
      if (newline < 0) break;
      const head = data.subarray(0, newline);
      this.checkLength(this.partBytes + head.length);
      const line = this.parts.length === 0 ? head : Buffer.concat([...this.parts, head], this.partBytes + head.length);
      this.parts = [];
      this.partBytes = 0;
      data = data.subarray(newline + 1);
      const value = this.takeLine(line);
      if (value !== BLANK) yield value;
    }
    if (data.length > 0) {
      this.checkLength(this.partBytes + data.length);
      // Copy: the caller may reuse its buffer once the values of this chunk have been taken.
      this.parts.push(Buffer.from(data));
      this.partBytes += data.length;
    }
  }

  /** End of stream: a last line without its "\n" is still decoded. */
  end(): unknown[] {
    const out: unknown[] = [];
    if (this.partBytes > 0) {
      const line = Buffer.concat(this.parts, this.partBytes);
      this.parts = [];
      this.partBytes = 0;
      const value = this.takeLine(line);
      if (value !== BLANK) out.push(value);
    }
    return out;
  }

  private checkLength(bytes: number): void {
    if (bytes > this.maxLineBytes) {
      throw new ProtocolError(
        { serverMessage: `response line ${this.lineNumber + 1} is longer than ${this.maxLineBytes} bytes; refusing to buffer it` },
        { retryable: false },
      );
    }
  }

  /** The line's value, or BLANK for an empty line. */
  private takeLine(bytes: Buffer): unknown {
    this.lineNumber += 1;
    let text: string;
    try {
      text = this.utf8.decode(bytes);
    } catch (error) {
      throw new ProtocolError(
        { serverMessage: `response line ${this.lineNumber} is not valid UTF-8` },
        { retryable: this.retryable, cause: error },
      );
    }
    if (this.lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const trimmed = text.trim();
    if (trimmed.length === 0) return BLANK;
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      const excerpt = trimmed.length > EXCERPT_CHARS ? `${trimmed.slice(0, EXCERPT_CHARS)}…` : trimmed;
      throw new ProtocolError(
        { serverMessage: `malformed JSON on response line ${this.lineNumber}: ${excerpt}`, body: trimmed.slice(0, 4096) },
        { retryable: this.retryable, cause: error },
      );
    }
  }
}

/** Decodes an async stream of byte chunks into the JSON values of its lines. */
export async function* decodeNdjson(source: AsyncIterable<Uint8Array>, options: NdjsonOptions = {}): AsyncGenerator<unknown> {
  const decoder = new NdjsonDecoder(options);
  for await (const chunk of source) yield* decoder.values(chunk);
  yield* decoder.end();
}
