// The only places the MCP server touches on disk. An assistant chooses the arguments, so a tool
// argument never names a path to write: output files get a plain name (chosen by us, or a bare
// file name the caller gives) inside the output directory. Inputs (audio to transcribe, clone
// samples) may name a path, which must resolve, symbolic links followed, to a regular file
// inside the output directory or one of the input directories the user allowed.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { fileError } from '../core/file-errors.js';

/** A caller's file name: letters, digits, `_`, `-` and dots, not starting with a dot. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}$/;

/**
 * Where files go when `--out-dir` is not given: a data directory of the user's, not the working
 * directory (an MCP client often starts servers in `/` or its own install directory).
 */
export function defaultOutputDirectory(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0 ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(base, 'inworld', 'mcp');
}

export class FileSandbox {
  /** The output directory, symbolic links resolved. */
  readonly outDir: string;
  /** Directories inputs may come from: the output directory first, then the allowed ones. */
  readonly readableDirs: readonly string[];

  private constructor(outDir: string, readableDirs: string[]) {
    this.outDir = outDir;
    this.readableDirs = readableDirs;
  }

  /** Creates the output directory if needed; every directory must exist and be a directory. */
  static async open(outDir: string, inputDirs: readonly string[] = []): Promise<FileSandbox> {
    const out = resolve(outDir);
    try {
      await mkdir(out, { recursive: true });
    } catch (error) {
      throw fileError('create-directory', out, error, { what: 'output directory', beforeRequest: true });
    }
    const real = await realDirectory(out, '--out-dir');
    const inputs: string[] = [];
    for (const dir of inputDirs) inputs.push(await realDirectory(resolve(dir), '--input-dir'));
    return new FileSandbox(real, [real, ...inputs.filter((dir) => dir !== real)]);
  }

  /**
   * A path for a new output file in the output directory. `name` is a bare file name (no
   * directories); without an extension, `extension` is added; with another format's extension it
   * is refused. Without `name`, a fresh `<prefix>-<time>-<random><extension>` is made.
   */
  async outputPath(options: { name?: string; prefix: string; extension: string; sameFormat?: (extension: string) => boolean; overwrite?: boolean }): Promise<string> {
    const name = options.name === undefined ? generatedName(options.prefix, options.extension) : checkedName(options.name, options);
    const path = join(this.outDir, name);
    const existing = await lstat(path).catch(() => undefined);
    if (existing?.isSymbolicLink()) {
      // The file sink would write through the link, to wherever it points.
      throw new ValidationError(`${name} in the output directory is a symbolic link; refusing to write through it`, { hint: 'Choose another file_name' });
    }
    if (existing && !existing.isFile()) throw new ValidationError(`${name} in the output directory is not a regular file`, { hint: 'Choose another file_name' });
    if (existing && !options.overwrite) throw new ValidationError(`${name} already exists in the output directory`, { hint: 'Choose another file_name, or pass overwrite: true' });
    return path;
  }

  /**
   * The real path of an input file: `path` relative to the output directory, or absolute; after
   * symbolic links are followed it must be a regular file inside a readable directory.
   */
  async inputPath(path: string): Promise<string> {
    if (path.includes('\0')) throw new ValidationError('the path contains a NUL character');
    const given = isAbsolute(path) ? path : join(this.outDir, path);
    let real: string;
    try {
      real = await realpath(given);
    } catch (error) {
      throw fileError('read', path, error, { beforeRequest: true });
    }
    if (!this.readableDirs.some((dir) => isInside(real, dir))) {
      throw new ValidationError(`${path} is outside the directories this server may read (${this.readableDirs.join(', ')})`, {
        hint: `Copy the file into ${this.outDir}, or start the server with --input-dir <its directory>`,
      });
    }
    const info = await stat(real);
    if (!info.isFile()) throw new ValidationError(`${path} is not a regular file`);
    return real;
  }
}

async function realDirectory(path: string, flag: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    throw fileError('read', path, error, { what: `${flag} directory`, beforeRequest: true });
  }
  if (!(await stat(real)).isDirectory()) throw new ValidationError(`${flag} ${path} is not a directory`);
  return real;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function generatedName(prefix: string, extension: string): string {
  const time = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${time}-${randomBytes(3).toString('hex')}${extension}`;
}

function checkedName(name: string, options: { extension: string; sameFormat?: (extension: string) => boolean }): string {
  if (!SAFE_NAME.test(name) || name.includes('..')) {
    throw new ValidationError(`file_name "${name}" is not a plain file name`, {
      hint: 'Use letters, digits, "_", "-" and "." only, no directories (files always go to the output directory)',
    });
  }
  const extension = extname(name).toLowerCase();
  if (extension === '') return `${name}${options.extension}`;
  if (extension === options.extension || options.sameFormat?.(extension)) return name;
  throw new ValidationError(`file_name "${name}" has the extension ${extension}, but the audio is ${options.extension}`, {
    hint: `Name it with ${options.extension}, or leave the extension out`,
  });
}
