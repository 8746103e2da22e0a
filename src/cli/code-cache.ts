// Runs the CLI's one-file CommonJS bundle with V8's code cache, the way Node 22's compile cache
// does for modules, on every Node from 20: the first run of a command saves the bytecode V8
// compiled (its lazily compiled functions included) into the user's cache directory, and later
// runs deserialize it instead of parsing and compiling ~900 kB of JavaScript again. V8 checks
// that a cache matches its own version and flags and the source; one that does not is rejected
// and rewritten, so a stale or foreign file costs one ordinary compile.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Cache files kept; beyond this the oldest go (other builds, other Node versions). */
const MAX_CACHE_FILES = 32;

/**
 * The bundle's dynamic imports of packages and built-ins are renamed to this parameter by the
 * build: code compiled through `vm.Script` has no loader of its own for `import()`.
 */
const IMPORT_PARAMETER = '__inworldImport';

export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'inworld', 'code-cache');
}

/** Runs the bundle at `file` and returns its exports, from the cache file `name` when it fits. */
export function loadBundle(file: string, name: string): Record<string, unknown> {
  // The build keeps the bundle ASCII, so Latin-1 reads it exactly and without UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  const cacheFile = join(codeCacheDir(), name);
  const cachedData = readOptional(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname, ${IMPORT_PARAMETER}) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  // Saved at exit, so that the functions this run compiled lazily are in it too.
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCache(cacheFile, script));
  const module = { exports: {} as Record<string, unknown> };
  const require = createRequire(file);
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, require, module, file, dirname(file), (specifier: string) => importFor(require, specifier));
  return module.exports;
}

/**
 * `import()` for the bundle. Built-ins come through `require`, which gives the same exports:
 * the first `import()` in a process starts Node's ES module loader, which `say` would otherwise
 * pay (~20 M instructions) only for `node:http`.
 */
function importFor(require: NodeJS.Require, specifier: string): Promise<unknown> {
  if (!specifier.startsWith('node:')) return import(specifier);
  return new Promise((resolve) => {
    const exports = require(specifier) as Record<string, unknown>;
    resolve({ ...exports, default: exports });
  });
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only or full cache directory just means compiling again next time. */
function saveCache(file: string, script: Script): void {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    // Written whole and renamed, so a run starting meanwhile reads the old file or the new one.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, file);
    pruneCache(dir);
  } catch {
    // Nothing to do: the cache is an optimisation.
  }
}

function pruneCache(dir: string): void {
  const files = readdirSync(dir).map((name) => ({ path: join(dir, name), mtimeMs: statSync(join(dir, name)).mtimeMs }));
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const stale of files.slice(MAX_CACHE_FILES)) rmSync(stale.path, { force: true });
}
