// Every file the CLI writes appears complete or not at all: the bytes go to a temporary name
// beside the target (same directory, so the same file system and an atomic rename), and only a
// finished file is renamed into place. Temporary files still live when the process exits (a
// second Ctrl-C, process.exit elsewhere) are removed by an exit hook, so no `.part` is left.
// Failures name the user's path, never the temporary one.
import { unlinkSync } from 'node:fs';
import { type FileHandle, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { InworldError } from './errors.js';
import { fileError } from './file-errors.js';
import { randomId } from './random-id.js';

export interface AtomicFileOptions {
  /** Permission bits for the new file (default 0666 less the umask). */
  mode?: number;
  /** What the file is, for messages ("config file"). */
  what?: string;
  /**
   * Which failures are usage errors (exit 2, found before any request): `create` (the default)
   * for a file reserved when the command starts, `all` for one written before any request (the
   * config file), `none` for one created mid-run (a batch line's file).
   */
  usageErrors?: 'create' | 'all' | 'none';
}

/** Temporary files created and not yet renamed or removed. */
const liveTempFiles = new Set<string>();
let exitHookInstalled = false;

function track(tempPath: string): void {
  liveTempFiles.add(tempPath);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const temp of liveTempFiles) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  });
}

/** A hidden name beside `target` that no other process (or run) picks: `.name.<pid>-<random>.part`. */
export function tempNameBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomId().slice(0, 8)}.part`);
}

/** A file open for writing under its temporary name; `commit()` puts it in place. */
export class AtomicFile {
  /** The path the user gave: what every message names. */
  readonly path: string;
  /** Where the file is renamed to: `path` with symbolic links resolved, so a link survives. */
  readonly target: string;
  readonly tempPath: string;
  readonly handle: FileHandle;
  private readonly options: AtomicFileOptions;
  private closed = false;
  private settled = false;

  private constructor(path: string, target: string, tempPath: string, handle: FileHandle, options: AtomicFileOptions) {
    this.path = path;
    this.target = target;
    this.tempPath = tempPath;
    this.handle = handle;
    this.options = options;
  }

  /** Creates the temporary file; an error naming `path` if it cannot be (a ValidationError unless `usageErrors` is `none`). */
  static async create(path: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
    // Through a symlink (a dotfile manager's config, /dev/stdout redirected to a file) the real
    // file is replaced and the link kept; renaming over the link itself would make it a plain file.
    const target = await realpath(path).catch(() => path);
    const tempPath = tempNameBeside(target);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, 'wx', options.mode);
    } catch (error) {
      throw fileError('write', path, error, { what: options.what, beforeRequest: (options.usageErrors ?? 'create') !== 'none' });
    }
    track(tempPath);
    return new AtomicFile(path, target, tempPath, handle, options);
  }

  /** The error to throw for a failure while writing or committing: it names the user's path. */
  failure(error: unknown): InworldError {
    return fileError('write', this.path, error, { what: this.options.what, beforeRequest: this.options.usageErrors === 'all' });
  }

  /** Closes the handle (once); later calls do nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  /** Closes the file if still open and renames it into place; on failure it is removed and the error names `path`. */
  async commit(): Promise<void> {
    try {
      await this.close();
      await rename(this.tempPath, this.target);
    } catch (error) {
      await this.discard();
      throw this.failure(error);
    }
    this.settled = true;
    liveTempFiles.delete(this.tempPath);
  }

  /** Closes and removes the temporary file; a no-op after commit(). */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
    liveTempFiles.delete(this.tempPath);
  }
}

export interface WriteAtomicallyOptions extends AtomicFileOptions {
  /** Flush to the disk before the rename, so a crash right after leaves the new file, not an empty one. */
  durable?: boolean;
}

/** Writes `data` as the whole file at `path`, never visible half-written. Returns the file renamed into place. */
export async function writeFileAtomically(path: string, data: string | Buffer | readonly Buffer[], options: WriteAtomicallyOptions = {}): Promise<string> {
  const file = await AtomicFile.create(path, options);
  try {
    const bytes = typeof data === 'string' || Buffer.isBuffer(data) ? data : data.length === 1 ? data[0]! : Buffer.concat(data);
    await file.handle.writeFile(bytes);
    // The umask can only clear bits; a chmod makes the mode exact whatever it is.
    if (options.mode !== undefined) await file.handle.chmod(options.mode);
    if (options.durable) await file.handle.sync();
  } catch (error) {
    await file.discard();
    throw file.failure(error);
  }
  await file.commit();
  return file.target;
}
