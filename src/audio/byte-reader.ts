// Pull-based reading of an async byte stream: "give me exactly N bytes" or "skip N bytes", so a
// parser can walk a header without holding more than it needs. Skipping discards as it goes.
import { ValidationError } from '../core/errors.js';

export class ByteReader {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  /** Bytes consumed so far (the stream offset of the next byte). */
  offset = 0;

  constructor(private readonly iterator: AsyncIterator<Buffer>) {}

  /** Pulls until at least `bytes` are buffered or the stream ends; returns how many are available. */
  async fill(bytes: number): Promise<number> {
    while (this.buffer.length < bytes && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.buffer = this.buffer.length === 0 ? next.value : Buffer.concat([this.buffer, next.value]);
      }
    }
    return Math.min(this.buffer.length, bytes);
  }

  /** Exactly `bytes` bytes, or a ValidationError built by `truncated()` if the stream ends first. */
  async read(bytes: number, truncated: () => ValidationError): Promise<Buffer> {
    if ((await this.fill(bytes)) < bytes) throw truncated();
    const out = this.buffer.subarray(0, bytes);
    this.buffer = this.buffer.subarray(bytes);
    this.offset += bytes;
    return out;
  }

  /** Discards `bytes` bytes; returns how many were actually there. */
  async skip(bytes: number): Promise<number> {
    let left = bytes;
    while (left > 0) {
      if (this.buffer.length === 0) {
        if ((await this.fill(1)) === 0) break;
      }
      const take = Math.min(left, this.buffer.length);
      this.buffer = this.buffer.subarray(take);
      this.offset += take;
      left -= take;
    }
    return bytes - left;
  }

  /** Whatever is buffered, then the rest of the stream, chunk by chunk. */
  async *rest(): AsyncGenerator<Buffer> {
    if (this.buffer.length > 0) {
      const first = this.buffer;
      this.buffer = Buffer.alloc(0);
      this.offset += first.length;
      yield first;
    }
    while (!this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      this.offset += next.value.length;
      yield next.value;
    }
  }
}
