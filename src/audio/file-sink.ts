// A file destination that never leaves a half-written file under the target name: audio goes to
// a temporary file beside it (core/atomic-file.ts), and only a finished file is renamed into
// place. For WAV the header's sizes are patched first.
// A target that exists and is not a regular file (/dev/null, a FIFO, /dev/stdout) is written
// directly and in order instead: renaming over a device would replace it (as root, /dev/null!).
import { type FileHandle, open, stat, unlink } from 'node:fs/promises';
import { AtomicFile } from '../core/atomic-file.js';
import { InworldError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';
import type { RewindableSink } from './sink.js';
import { WAV_HEADER_BYTES, type WavFormat, streamingWavHeader, wavHeader, wavSizePatches } from './wav-writer.js';

export interface FileSinkOptions {
  /** Write a WAV file around the PCM written to the sink; absent: bytes are written as-is. */
  wav?: WavFormat;
}

type State = 'open' | 'finishing' | 'complete' | 'done';

/** Chunks waiting behind a write are joined up to this size. */
const MAX_BATCH_BYTES = 1024 * 1024;
/** write() resolves at once while no more than this is waiting to reach the disk. */
const WRITE_BEHIND_BYTES = 128 * 1024;
const RESOLVED = Promise.resolve();

interface Batch {
  chunks: Buffer[];
  bytes: number;
  done: Promise<void>;
}

export class FileSink implements RewindableSink {
  readonly path: string;
  /** Where the bytes go until the end; equal to `path` for a device or pipe. */
  readonly tempPath: string;
  /** False for a device or pipe: it cannot be rewound, sizes cannot be patched. */
  readonly canRewind: boolean;
  private readonly handle: FileHandle;
  private readonly wav?: WavFormat;
  private readonly headerBytes: number;
  private audioBytes = 0;
  private state: State = 'open';
  /** Serializes writes, so callers that do not await still get bytes in order. */
  private queue: Promise<void> = Promise.resolve();
  private failure?: Error;
  /**
   * Chunks that arrived while an earlier write was in flight: they go out together, in one
   * write, when it ends (a 200 ms chunk per write would cost a syscall and a promise chain each).
   */
  private batch?: Batch;
  /** Bytes accepted by write() and not yet on disk. */
  private unwrittenBytes = 0;

  /** The temporary file renamed into place at the end; absent for a device or pipe. */
  private readonly file?: AtomicFile;
  /** True between commit() and a withdraw(). */
  private committed = false;

  private constructor(path: string, handle: FileHandle, options: FileSinkOptions, file?: AtomicFile) {
    this.path = path;
    this.file = file;
    this.tempPath = file?.tempPath ?? path;
    this.canRewind = file !== undefined;
    this.handle = handle;
    this.wav = options.wav;
    this.headerBytes = options.wav ? WAV_HEADER_BYTES : 0;
  }

  /**
   * Creates the temporary file next to `path` (and the WAV header, if asked). Fails with a
   * ValidationError before any request is sent when the destination cannot be written.
   */
  static async open(path: string, options: FileSinkOptions = {}): Promise<FileSink> {
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isDirectory()) throw describeOpenError(path, { code: 'EISDIR' });
    if (existing && !existing.isFile()) return FileSink.openDirect(path, options);
    const file = await AtomicFile.create(path);
    const sink = new FileSink(path, file.handle, options, file);
    if (options.wav) {
      try {
        await file.handle.write(wavHeader({ ...options.wav, dataBytes: 0 }), 0, WAV_HEADER_BYTES, 0);
      } catch (error) {
        await sink.abort(error);
        throw describeOpenError(path, error);
      }
    }
    return sink;
  }

  /** A device or FIFO: written in order, WAV with a streaming header, nothing renamed or removed. */
  private static async openDirect(path: string, options: FileSinkOptions): Promise<FileSink> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'w');
    } catch (error) {
      throw describeOpenError(path, error);
    }
    const sink = new FileSink(path, handle, options);
    if (options.wav) {
      try {
        await sink.writeAll(streamingWavHeader(options.wav), 0);
      } catch (error) {
        await sink.abort(error);
        throw describeOpenError(path, error);
      }
    }
    return sink;
  }

  position(): number {
    return this.audioBytes;
  }

  write(chunk: Buffer): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new Error(`write to ${this.path} after it was finished`));
    if (this.failure) return Promise.reject(this.failure);
    if (chunk.length === 0) return this.queue;
    const offset = this.headerBytes + this.audioBytes;
    this.audioBytes += chunk.length;
    this.unwrittenBytes += chunk.length;
    let batch = this.batch;
    if (batch && batch.bytes < MAX_BATCH_BYTES) {
      batch.chunks.push(chunk);
      batch.bytes += chunk.length;
    } else {
      batch = this.startBatch(chunk, offset);
    }
    // Like a stream's high-water mark: the caller goes on while little is waiting for the disk and
    // waits once more is; a failure then reaches the next write() and end().
    return this.unwrittenBytes <= WRITE_BEHIND_BYTES ? RESOLVED : batch.done;
  }

  private startBatch(chunk: Buffer, offset: number): Batch {
    const batch: Batch = { chunks: [chunk], bytes: chunk.length, done: RESOLVED };
    batch.done = this.enqueue(async () => {
      if (this.batch === batch) this.batch = undefined;
      const { chunks, bytes } = batch;
      await this.writeAll(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes), offset);
      this.unwrittenBytes -= bytes;
    });
    // Nobody may be waiting on this batch (its writers were let go): the failure is kept anyway.
    batch.done.catch(() => undefined);
    this.batch = batch;
    return batch;
  }

  truncate(bytesOfAudio: number): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new Error(`truncate of ${this.path} after it was finished`));
    if (!this.canRewind) return Promise.reject(new Error(`${this.path} is not a regular file and cannot be rewound`));
    if (!Number.isInteger(bytesOfAudio) || bytesOfAudio < 0 || bytesOfAudio > this.audioBytes) {
      return Promise.reject(new RangeError(`cannot truncate ${this.path} to ${bytesOfAudio} of ${this.audioBytes} bytes`));
    }
    this.audioBytes = bytesOfAudio;
    this.batch = undefined; // later writes start after the truncation, not in a batch before it
    return this.enqueue(() => this.handle.truncate(this.headerBytes + bytesOfAudio));
  }

  overwrite(bytesOfAudio: number, bytes: Buffer): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new Error(`overwrite of ${this.path} after it was finished`));
    if (!this.canRewind) return Promise.reject(new Error(`${this.path} is not a regular file and cannot be rewritten`));
    if (!Number.isInteger(bytesOfAudio) || bytesOfAudio < 0 || bytesOfAudio + bytes.length > this.audioBytes) {
      return Promise.reject(new RangeError(`cannot overwrite ${bytes.length} bytes at ${bytesOfAudio} of ${this.audioBytes} in ${this.path}`));
    }
    this.batch = undefined; // later writes go after this one, as after a truncation
    return this.enqueue(() => this.writeAll(bytes, this.headerBytes + bytesOfAudio));
  }

  async end(): Promise<void> {
    await this.complete();
    await this.commit();
  }

  /** Keeps what arrived: the file is completed with the sizes of the audio written so far. */
  interrupt(): Promise<void> {
    return this.end();
  }

  /**
   * The first half of end(): every byte on disk under the temporary name, WAV sizes patched, the
   * file closed. A run with several outputs completes them all before it commits any, so a
   * failure in one (a full disk) leaves none of them in place. Rejects (and removes the
   * temporary file) when a write failed.
   */
  async complete(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'finishing';
    try {
      await this.queue;
      if (this.failure) throw this.failure;
      if (this.wav && this.canRewind) await this.completeWav(this.wav);
      await (this.file ? this.file.close() : this.handle.close());
      this.state = 'complete';
    } catch (error) {
      this.state = 'open';
      await this.abort(error);
      throw error instanceof InworldError ? error : writeError(this.path, error);
    }
  }

  /** The second half of end(): the completed file renamed into place. */
  async commit(): Promise<void> {
    if (this.state === 'open') await this.complete();
    if (this.state !== 'complete') return;
    this.state = 'done';
    if (!this.file) return;
    // On failure the temporary file is removed and the error names the user's path.
    await this.file.commit();
    this.committed = true;
  }

  /** Takes back a commit() (another output of the same run failed): the file is removed again. */
  async withdraw(): Promise<void> {
    if (!this.committed || !this.file) return;
    this.committed = false;
    await unlink(this.file.target).catch(() => undefined);
  }

  async abort(_reason?: unknown): Promise<void> {
    if (this.state === 'done') return;
    const wasOpen = this.state !== 'complete';
    this.state = 'done';
    await this.queue.catch(() => undefined);
    if (this.file) await this.file.discard();
    else if (wasOpen) await this.handle.close().catch(() => undefined);
  }

  /** Drops a trailing partial frame, pads an odd data chunk, and patches both size fields. */
  private async completeWav(format: WavFormat): Promise<void> {
    const blockAlign = format.channels * (format.bitsPerSample / 8);
    const whole = this.audioBytes - (this.audioBytes % blockAlign);
    if (whole !== this.audioBytes) {
      this.audioBytes = whole;
      await this.handle.truncate(this.headerBytes + whole);
    }
    if (whole % 2 === 1) await this.writeAll(Buffer.alloc(1), this.headerBytes + whole);
    for (const patch of wavSizePatches(whole)) await this.writeAll(patch.bytes, patch.offset);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => {
      if (this.failure) throw this.failure;
      return task();
    });
    // The queue itself never rejects, so one failure does not become an unhandled rejection; the
    // failure is remembered and rethrown to every later write and to end().
    this.queue = run.catch((error: unknown) => {
      this.failure ??= writeError(this.path, error);
    });
    return run.catch((error: unknown) => {
      throw this.failure ?? writeError(this.path, error);
    });
  }

  private async writeAll(buffer: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < buffer.length) {
      // Devices and pipes cannot seek: they get sequential writes (position null).
      const at = this.canRewind ? position + done : null;
      const { bytesWritten } = await this.handle.write(buffer, done, buffer.length - done, at);
      done += bytesWritten;
    }
  }
}

/** Opens a WAV file sink for PCM in `format` (16-bit mono at the synthesis rate, usually). */
export function openWavFileSink(path: string, format: WavFormat): Promise<FileSink> {
  return FileSink.open(path, { wav: format });
}

/** Opens a file sink that writes the bytes as they come (MP3, OGG, FLAC, raw PCM, µ-law, A-law). */
export function openRawFileSink(path: string): Promise<FileSink> {
  return FileSink.open(path);
}

/** Found when the sink is opened, before any request: a usage error (exit 2). */
function describeOpenError(path: string, error: unknown): Error {
  return fileError('write', path, error, { beforeRequest: true });
}

/** Found mid-way (a full disk, a directory removed): names the user's file, never the temporary one. */
function writeError(path: string, error: unknown): InworldError {
  return fileError('write', path, error);
}
