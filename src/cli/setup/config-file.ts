// The config file's keys and its writer ($XDG_CONFIG_HOME/inworld/config.json) for `inworld config`,
// `login` and `logout`; reading is core/config-file.ts, shared with the client. The file may hold
// the API key, so it is private to the user (0600 in a 0700 directory) and replaced atomically
// (temp file + rename): a crash or a full disk mid-write leaves the old file intact.
import { chmod, lstat, mkdir, open, realpath, stat, unlink } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { parseBaseUrl } from '../../core/config.js';
import { readConfigRecord } from '../../core/config-file.js';
import { InworldError, ValidationError } from '../../core/errors.js';
import { fileError } from '../../core/file-errors.js';
import { languageCode, languageProblem } from '../language-code.js';

/** Owner read/write only: the file may hold the API key. */
export const CONFIG_FILE_MODE = 0o600;
/** Owner only, so other users cannot even list what is there. */
export const CONFIG_DIR_MODE = 0o700;
/** Permission bits for group and others; any of them set means the file is readable by others. */
const GROUP_OTHER_BITS = 0o077;

export interface ConfigKeySpec {
  /** The name users type: `api-key`. */
  readonly name: string;
  /** The field stored in config.json: `apiKey` (the library reads camelCase and kebab-case). */
  readonly field: string;
  readonly description: string;
  /** Shown masked, read from stdin with `-`. */
  readonly secret: boolean;
  /** Checks and normalises a value; throws ValidationError with what to type instead. */
  parse(value: string): string;
}

export const CONFIG_KEYS: readonly ConfigKeySpec[] = [
  { name: 'api-key', field: 'apiKey', description: 'API key (Basic, Base64) from the Inworld Portal', secret: true, parse: parseApiKey },
  { name: 'voice', field: 'voice', description: 'default voice for say and stream', secret: false, parse: (v) => parseToken('voice', v) },
  { name: 'model', field: 'model', description: 'default TTS model for say and stream', secret: false, parse: (v) => parseToken('model', v) },
  { name: 'language', field: 'language', description: 'default language (BCP-47) for say and stream', secret: false, parse: parseLanguage },
  { name: 'base-url', field: 'baseUrl', description: 'REST base URL', secret: false, parse: (v) => parseBaseUrl(v.trim(), 'base-url', ['http:', 'https:']).href },
  { name: 'ws-url', field: 'wsUrl', description: 'WebSocket base URL', secret: false, parse: (v) => parseBaseUrl(v.trim(), 'ws-url', ['ws:', 'wss:']).href },
];

export function configKeyNames(): string[] {
  return CONFIG_KEYS.map((key) => key.name);
}

/** Finds a key by its kebab-case name, also accepting the stored camelCase spelling. */
export function findConfigKey(name: string): ConfigKeySpec {
  const wanted = name.trim().toLowerCase().replace(/_/g, '-');
  const spec = CONFIG_KEYS.find((key) => key.name === wanted || key.field.toLowerCase() === wanted);
  if (!spec) throw new ValidationError(`Unknown config key "${name}"; valid keys: ${configKeyNames().join(', ')}`);
  return spec;
}

/** A commander argParser for the key argument, so an unknown key is a usage error (exit 2). */
export function configKeyArgument(value: string): string {
  try {
    return findConfigKey(value).name;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Every spelling a key may have in the file; all of them go when the key is set or unset. */
export function storedSpellings(spec: ConfigKeySpec): string[] {
  return spec.field === spec.name ? [spec.field] : [spec.field, spec.name];
}

/** The value a key has in a raw config object (camelCase first, then the kebab-case alias). */
export function storedValue(record: Record<string, unknown>, spec: ConfigKeySpec): string | undefined {
  for (const key of storedSpellings(spec)) {
    const value = record[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function parseApiKey(value: string): string {
  // Portal copy buttons and docs show `Authorization: Basic <key>`; we send the prefix ourselves.
  const key = value.trim().replace(/^basic\s+/i, '');
  if (key.length === 0) throw new ValidationError('The API key is empty; paste the "Basic (Base64)" key from the Inworld Portal');
  if (/\s/.test(key)) throw new ValidationError('The API key contains spaces or line breaks; copy it again as one piece');
  return key;
}

function parseToken(what: string, value: string): string {
  const token = value.trim();
  if (token.length === 0 || /\s/.test(token)) {
    throw new ValidationError(`A ${what} id is one word without spaces, not "${value}"; see \`inworld voices\` for voice ids`);
  }
  return token;
}

/** The same BCP-47 shape `--language` accepts, normalised to hyphens (en_US -> en-US). */
export function parseLanguage(value: string): string {
  const code = languageCode(value);
  if (code === undefined) throw new ValidationError(languageProblem('language', value));
  return code;
}

export interface LooseMode {
  path: string;
  /** The permission bits, e.g. 0o644. */
  mode: number;
}

/** The file's mode when group or others can read or write it; undefined when private or absent. */
export async function looseConfigMode(path: string): Promise<LooseMode | undefined> {
  // Windows has no POSIX modes: stat reports 0o666 for every writable file.
  if (process.platform === 'win32') return undefined;
  try {
    const info = await stat(path);
    const mode = info.mode & 0o777;
    return (mode & GROUP_OTHER_BITS) !== 0 ? { path, mode } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The warning for a command that is about to use the key from a file others can read, or
 * undefined when the file is private, absent, or on Windows. Synchronous so it fits where the
 * client is built (openContext), which reads the file synchronously too.
 */
export function looseConfigWarningSync(path: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const mode = statSync(path).mode & 0o777;
    return (mode & GROUP_OTHER_BITS) !== 0 ? looseModeWarning({ path, mode }) : undefined;
  } catch {
    return undefined;
  }
}

export function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** The stderr line for a config file others can read, with the command that fixes it. */
export function looseModeWarning(loose: LooseMode): string {
  return `inworld: warning: config file ${loose.path} has mode ${formatMode(loose.mode)}, so other users can read it (it may hold your API key); fix: chmod 600 ${quoteIfNeeded(loose.path)}`;
}

function quoteIfNeeded(path: string): string {
  return /^[\w./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the config object atomically with mode 0600: a temp file in the same directory (so the
 * rename cannot cross file systems), flushed to disk, then renamed over the old file. A symlinked
 * config (dotfile managers do this) is followed, so the link survives and its target is updated.
 */
export async function writeConfigRecord(path: string, record: Record<string, unknown>): Promise<string> {
  const target = await resolveTarget(path);
  await ensurePrivateDir(dirname(target));
  const { writeFileAtomically } = await import('../../core/atomic-file.js');
  const text = `${JSON.stringify(record, null, 2)}\n`;
  return writeFileAtomically(target, text, { mode: CONFIG_FILE_MODE, what: 'config file', usageErrors: 'all', durable: true });
}

async function resolveTarget(path: string): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink()) return await realpath(path);
  } catch {
    // Missing (or a dangling link): write at the path itself.
  }
  return path;
}

/** Creates the directory (and parents) owner-only; an existing directory is left as the user made it. */
async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await stat(dir);
    return;
  } catch {
    // Fall through and create it.
  }
  try {
    await mkdir(dir, { recursive: true, mode: CONFIG_DIR_MODE });
    await chmod(dir, CONFIG_DIR_MODE);
  } catch (error) {
    throw fileError('create-directory', dir, error, { what: 'config directory', beforeRequest: true });
  }
}

/** A write holds the lock for milliseconds; a lock older than this was left by a killed process. */
export const LOCK_STALE_MS = 5_000;
/** How long to wait for another writer; longer than LOCK_STALE_MS so a leftover lock is always broken. */
export const LOCK_WAIT_MS = 6_000;
const LOCK_POLL_MS = 25;

/**
 * Runs `fn` holding `<file>.lock` (created exclusively), so two writers cannot both read the old
 * file and each drop the other's change.
 */
async function withFileLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${target}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await (await open(lock, 'wx', CONFIG_FILE_MODE)).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw fileError('write', lock, error, { what: 'lock file', beforeRequest: true });
      }
    }
    const age = await stat(lock).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (age > LOCK_STALE_MS) {
      await unlink(lock).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new InworldError(`Config file ${target} is locked by another inworld process`, { hint: `Retry; if no inworld is running, delete ${lock}` });
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => {});
  }
}

/**
 * Reads, changes and writes back the file under a lock (so concurrent `config set`s all land);
 * reports a looser mode the rewrite has just tightened.
 */
export async function updateConfigFile(
  path: string,
  change: (record: Record<string, unknown>) => void,
  warn: (line: string) => void,
): Promise<string> {
  const target = await resolveTarget(path);
  await ensurePrivateDir(dirname(target));
  return withFileLock(target, async () => {
    const record = readConfigRecord(path);
    const loose = await looseConfigMode(path);
    change(record);
    const written = await writeConfigRecord(path, record);
    if (loose) {
      warn(`inworld: note: config file ${path} had mode ${formatMode(loose.mode)} (readable by other users); it is now ${formatMode(CONFIG_FILE_MODE)}`);
    }
    return written;
  });
}
