// Audio to standard output (or any Writable): WAV with a streaming header, or the bytes as-is.
// When the reader goes away early (`inworld say hi | head -c 100`), the write fails with EPIPE;
// that is the reader's choice, not an error, so the sink goes quiet and the command ends cleanly.
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { InworldError } from '../core/errors.js';
import type { AudioSink } from './sink.js';
import { WAV_HEADER_BYTES, type WavFormat, streamingWavHeader, wavSizePatches } from './wav-writer.js';

export interface StreamSinkOptions {
  /** Defaults to process.stdout. */
  stream?: Writable;
  /** Prefix the bytes with a streaming WAV header (sizes unknown on a pipe). */
  wav?: WavFormat;
  /**
   * File descriptor behind the stream when it is a regular file we may patch (stdout redirected
   * with `> out.wav`); the WAV sizes are then fixed at the end, as for `-o out.wav`.
   */
  patchFd?: number;
  /**
   * End the stream when the sink ends. Defaults to false for process.stdout (ending it would close
   * fd 1 for everything else) and true for other streams.
   */
  endStream?: boolean;
}

const GONE_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

export class StreamSink implements AudioSink {
  private readonly stream: Writable;
  private readonly header?: Buffer;
  private readonly endStream: boolean;
  private headerWritten = false;
  private gone = false;
  private failure?: Error;
  private finished = false;
  private readonly waiters = new Set<() => void>();
  private readonly patchFd?: number;
  private bytesPushed = 0;

  constructor(options: StreamSinkOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.header = options.wav ? streamingWavHeader(options.wav) : undefined;
    this.endStream = options.endStream ?? this.stream !== process.stdout;
    this.patchFd = this.header ? options.patchFd : undefined;
    this.stream.on('error', this.onError);
    this.stream.on('close', this.onClose);
  }

  /** True once the reader has gone away; later writes are dropped silently. */
  get readerGone(): boolean {
    return this.gone;
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.finished) throw new Error('write to standard output after it was finished');
    if (!this.headerWritten && this.header) {
      this.headerWritten = true;
      // One write for the header and the first audio: a write of its own, awaited, would hold
      // the first sound back by a turn of the event loop.
      await this.push(chunk.length > 0 ? Buffer.concat([this.header, chunk]) : this.header);
      return;
    }
    this.headerWritten = true;
    if (chunk.length > 0) await this.push(chunk);
  }

  async end(): Promise<void> {
    if (this.finished) return;
    // A WAV with no audio still needs its header to be a valid (empty) file.
    if (!this.headerWritten && this.header) {
      this.headerWritten = true;
      await this.push(this.header);
    }
    this.finished = true;
    try {
      await this.drain();
      this.patchSizes();
    } finally {
      this.detach();
    }
  }

  /** For a WAV redirected into a regular file: write the real sizes over the streaming ones. */
  private patchSizes(): void {
    if (this.patchFd === undefined || this.gone || this.failure || this.bytesPushed < WAV_HEADER_BYTES) return;
    try {
      for (const patch of wavSizePatches(this.bytesPushed - WAV_HEADER_BYTES)) writeSync(this.patchFd, patch.bytes, 0, patch.bytes.length, patch.offset);
    } catch {
      // The streaming sizes already there are still readable: nothing worth failing for.
    }
  }

  async interrupt(): Promise<void> {
    await this.end().catch(() => undefined);
  }

  async abort(_reason?: unknown): Promise<void> {
    this.finished = true;
    this.detach();
  }

  private async push(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.gone) return;
    let accepted: boolean;
    this.bytesPushed += chunk.length;
    try {
      accepted = this.stream.write(chunk);
    } catch (error) {
      this.onError(error as Error);
      if (this.failure) throw this.failure;
      return;
    }
    if (!accepted) await this.waitFor('drain');
    if (this.failure) throw this.failure;
  }

  /** Waits until everything written has been handed to the OS (or the stream ends/fails). */
  private async drain(): Promise<void> {
    if (this.gone || this.failure) {
      if (this.failure) throw this.failure;
      return;
    }
    if (this.endStream) {
      if (!this.stream.writableFinished) {
        this.stream.end();
        await this.waitFor('finish');
      }
    } else if (this.stream.writableLength > 0) {
      await this.waitFor('drain');
    }
    if (this.failure) throw this.failure;
  }

  /** Resolves on `event`, or when the stream fails or closes (so no wait can hang). */
  private waitFor(event: 'drain' | 'finish'): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off(event, done);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      this.stream.on(event, done);
    });
  }

  private readonly onError = (error: Error): void => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && GONE_CODES.has(code)) this.gone = true;
    else this.failure ??= new InworldError(`could not write audio to the output: ${code ?? error.message}`, { cause: error });
    this.wakeAll();
  };

  private readonly onClose = (): void => {
    if (!this.finished) this.gone = true;
    this.wakeAll();
  };

  private wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private detach(): void {
    this.wakeAll();
    // Keep swallowing a late EPIPE on process.stdout: an unhandled 'error' there would crash.
    if (this.stream !== process.stdout) {
      this.stream.off('error', this.onError);
    }
    this.stream.off('close', this.onClose);
  }
}

/**
 * Standard output as an audio sink; WAV gets a streaming header. When stdout is redirected into
 * an empty regular file (`> out.wav`, not `>>`), the sizes are patched at the end.
 */
export function openStdoutSink(options: { wav?: WavFormat } = {}): StreamSink {
  return new StreamSink({ stream: process.stdout, wav: options.wav, patchFd: options.wav ? patchableFd(1) : undefined });
}

/**
 * `fd` if it is an empty regular file opened without O_APPEND (positional writes into an
 * append-mode file would land at its end instead). Only Linux tells us the open flags
 * (/proc/self/fdinfo); elsewhere we leave the streaming header alone.
 */
function patchableFd(fd: number): number | undefined {
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size !== 0 || process.platform !== 'linux') return undefined;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    const O_APPEND = 0o2000;
    if (!flags || (parseInt(flags[1]!, 8) & O_APPEND) !== 0) return undefined;
    return fd;
  } catch {
    return undefined;
  }
}
