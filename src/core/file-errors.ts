// File-system failures as one readable sentence naming the file the user gave, worded the same in
// every command: "Cannot write nodir/x.srt: no such directory nodir". Library code (file sinks)
// and the CLI (its inputs, outputs, config file and exit path) all describe errno errors here.
import { statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InworldError, ValidationError } from './errors.js';

/** What was being done: reading a file, writing one, creating a directory, or writing into one. */
export type FileAction = 'read' | 'write' | 'create-directory' | 'write-into';

export interface FileErrorOptions {
  /** What the file is, when the name alone does not say ("config file", "batch file"). */
  what?: string;
  /** Found before any request was sent: a usage error (exit 2) rather than a failure (exit 1). */
  beforeRequest?: boolean;
}

/** A file that could not be read or written; `errno` is the system's code (ENOENT, ENOSPC…). */
export class FileAccessError extends InworldError {
  override readonly code = 'file';
  readonly path: string;
  readonly errno?: string;
  constructor(message: string, path: string, errno: string | undefined, cause: unknown) {
    super(message, { cause });
    this.path = path;
    this.errno = errno;
  }
}

const VERBS: Record<FileAction, string> = { read: 'Cannot read', write: 'Cannot write', 'create-directory': 'Cannot create', 'write-into': 'Cannot write into' };
/** What the path is called when the caller does not say. */
const DEFAULT_WHAT: Partial<Record<FileAction, string>> = { 'create-directory': 'directory', 'write-into': 'directory' };

/** Codes whose meaning does not depend on the path. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files (see ulimit -n)',
  ENFILE: 'too many open files on the system',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'it is busy',
  ETXTBSY: 'it is busy',
  EIO: 'input/output error',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EAGAIN: 'it is temporarily unavailable',
  EPIPE: 'its reader went away',
  EINVAL: 'the operation is not supported on it',
  EOPNOTSUPP: 'the operation is not supported on it',
  EXDEV: 'it is on another file system',
};

/** The sentence for `error` while doing `action` to `path`, e.g. "Cannot read notes.txt: permission denied". */
export function describeFileError(action: FileAction, path: string, error: unknown, what?: string): string {
  const label = what ?? DEFAULT_WHAT[action];
  const name = label ? `${label} ${path}` : path;
  return `${VERBS[action]} ${name}: ${fileErrorReason(action, path, error)}`;
}

/** The error to throw for `error` while doing `action` to `path`. */
export function fileError(action: FileAction, path: string, error: unknown, options: FileErrorOptions = {}): InworldError {
  if (error instanceof FileAccessError || error instanceof ValidationError) return error;
  const message = describeFileError(action, path, error, options.what);
  if (options.beforeRequest) return new ValidationError(message, { cause: error });
  return new FileAccessError(message, path, errnoOf(error), error);
}

/** Just the reason, after the colon: "no such directory nodir". */
export function fileErrorReason(action: FileAction, path: string, error: unknown): string {
  const code = errnoOf(error);
  if (code === 'ENOENT') {
    if (action === 'read') return 'no such file';
    const dir = action === 'write' ? dirname(path) : path;
    // A dangling symbolic link, or a directory that was there a moment ago and is back.
    return exists(dir) ? 'no such file or directory' : `no such directory ${missingDirectory(dir)}`;
  }
  if (code === 'ENOTDIR') {
    const blocker = fileInTheWay(path);
    return blocker ? `${blocker} is not a directory` : 'a part of the path is not a directory';
  }
  if (code === 'EEXIST') return action === 'create-directory' ? 'a file of that name is in the way' : 'it already exists';
  if (code !== undefined && REASONS[code]) return REASONS[code]!;
  return systemDescription(error);
}

/**
 * Checks before any request that `path` opens for reading and is not a directory (which opens
 * on Linux and fails only at the first read); a ValidationError naming the file otherwise.
 */
export async function assertReadableFile(path: string, what?: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) throw { code: 'EISDIR' };
  } catch (error) {
    throw fileError('read', path, error, { what, beforeRequest: true });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The errno code of a Node system error (ENOENT…), if it is one. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * A raw Node file-system error (it carries `syscall` and `path`), which no command should let
 * reach the user as it is; the exit path rewrites it with describeFileError.
 */
export function isRawFileSystemError(error: unknown): error is NodeJS.ErrnoException & { path: string; syscall: string } {
  if (!(error instanceof Error) || error instanceof InworldError) return false;
  const record = error as NodeJS.ErrnoException;
  return errnoOf(error) !== undefined && typeof record.syscall === 'string' && typeof record.path === 'string';
}

/** Syscalls that only read; anything else (open included) is described as a write only when it writes. */
const READING_SYSCALLS = new Set(['read', 'stat', 'lstat', 'fstat', 'access', 'scandir', 'opendir', 'readlink', 'realpath']);
const WRITING_SYSCALLS = new Set(['write', 'rename', 'unlink', 'ftruncate', 'fsync', 'fdatasync', 'copyfile', 'chmod', 'fchmod', 'symlink', 'link', 'rmdir']);

/** The action a raw system error's syscall stands for; `open` with ENOENT is taken as a read. */
export function actionForSyscall(syscall: string, code: string | undefined): FileAction {
  if (syscall === 'mkdir') return 'create-directory';
  if (WRITING_SYSCALLS.has(syscall)) return 'write';
  if (READING_SYSCALLS.has(syscall)) return 'read';
  return code === 'ENOSPC' || code === 'EROFS' || code === 'EDQUOT' || code === 'EEXIST' ? 'write' : 'read';
}

/** Node's description without the code and the syscall: "ENOTEMPTY: directory not empty, rmdir 'x'" -> "directory not empty". */
function systemDescription(error: unknown): string {
  const message = (error as Error | null)?.message ?? String(error);
  return message.replace(/^E[A-Z0-9]+:\s*/, '').replace(/,\s*\w+\s+'.*$/s, '').trim() || 'unknown error';
}

/** The highest directory of `dir` that is missing, so `a/b/c` with no `a` names `a`, not `a/b/c`. */
function missingDirectory(dir: string): string {
  let missing = dir;
  for (let parent = dirname(missing); parent !== missing && !exists(parent); parent = dirname(parent)) missing = parent;
  return missing;
}

/** The first ancestor of `path` that exists but is not a directory (the cause of ENOTDIR). */
function fileInTheWay(path: string): string | undefined {
  const ancestors: string[] = [];
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) ancestors.unshift(dir);
  for (const dir of ancestors) {
    try {
      if (!statSync(dir).isDirectory()) return dir;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
