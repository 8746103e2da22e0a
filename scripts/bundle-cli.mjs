// Builds dist/bundle/ from tsc's output (run by `npm run build`): the whole CLI as one CommonJS
// file that bin/inworld.js runs through V8's code cache (src/cli/code-cache.ts), the small
// launcher that does so, and cli.json with the bundle's content hash and every help page taken
// from the real command tree (src/cli/help-pages.ts). bin/inworld.js falls back to dist/cli when
// this directory is missing.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = join(root, 'dist', 'bundle');
// Built beside and swapped in at the end, so a CLI started meanwhile finds a whole bundle or none.
const out = `${target}.partial`;

// Loaded only when a run needs them, from node_modules as usual: native addons and codecs, the
// proxy and WebSocket stacks, and the ESM-only terminal packages.
const EXTERNAL = ['undici', 'ws', 'speaker', 'opusscript', '@breezystack/lamejs', 'node-record-lpcm16', 'https-proxy-agent', 'proxy-from-env', 'chalk', 'ora', '@modelcontextprotocol/sdk', 'zod', 'marked', 'htmlparser2', 'yauzl'];
/** `pkg` or one of its subpaths (`@modelcontextprotocol/sdk/server/mcp.js`). */
const isExternal = (specifier) => EXTERNAL.some((name) => specifier === name || specifier.startsWith(`${name}/`));
/**
 * The emulator stays out of the bundle: its codecs are packages whose CommonJS builds differ from
 * the ES modules it is written against, and it is a server, not start-up. The bundle imports it
 * from dist/emulator, which is where `../emulator/index.js` resolves from dist/bundle too.
 */
const EMULATOR_ENTRY = '../emulator/index.js';
const emulatorOutside = {
  name: 'emulator-outside',
  setup(builder) {
    builder.onResolve({ filter: /\/emulator\/index\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') throw new Error(`${args.importer} imports the emulator statically; the CLI must load it lazily`);
      return { path: EMULATOR_ENTRY, external: true };
    });
  },
};
/**
 * commander requires child_process at load, but uses it only to run executable subcommands,
 * which this CLI has none of; loading it cost ~16 M instructions (2.5%) of every `say`. Its
 * `require` gets a stand-in that loads the real module on first use.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(builder) {
    builder.onResolve({ filter: /^node:child_process$/ }, (args) => {
      if (!/[\\/]commander[\\/]/.test(args.importer)) return undefined;
      return { path: 'lazy-child-process', namespace: 'inworld-lazy' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'inworld-lazy' }, () => ({
      contents: 'let real;\nmodule.exports = new Proxy({}, { get: (_target, key) => (real ??= require("node:child_process"))[key] });\n',
      loader: 'js',
    }));
  },
};
/** What src/cli/code-cache.ts passes the bundle in place of `import()`. */
const IMPORT_PARAMETER = '__inworldImport';

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'none' };

// The bundle sits two levels below the package root like dist/core/*.js, so paths resolved from
// `import.meta.url` (the package.json holding the version) stay right.
const { metafile } = await build({
  ...common,
  metafile: true,
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: join(out, 'cli.cjs'),
  external: EXTERNAL,
  plugins: [emulatorOutside, lazyChildProcessForCommander],
  define: { 'import.meta.url': '__inworldModuleUrl' },
  // The sources are ES modules, strict throughout: the directive must open the file to count.
  banner: { js: '"use strict";\nconst __inworldModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// A package outside the bundle imported statically would become a top-level require(): a cost
// on every start, and a crash on Node 20 for the ESM-only ones (chalk, ora).
for (const output of Object.values(metafile.outputs)) {
  for (const imported of output.imports) {
    if (imported.external && isExternal(imported.path) && imported.kind !== 'dynamic-import') {
      throw new Error(`${imported.path} is imported statically by the CLI; import it where it is used, with import()`);
    }
  }
}
const bundleFile = join(out, 'cli.cjs');
let code = readFileSync(bundleFile, 'utf8');
// What is left as `import("…")` is an external package, the emulator or a built-in.
const allowed = new Set([...EXTERNAL, EMULATOR_ENTRY]);
code = code.replace(/(?<![\w$.])import\((["'])([^"']+)\1\)/g, (_match, quote, specifier) => {
  if (!allowed.has(specifier) && !isExternal(specifier) && !specifier.startsWith('node:')) throw new Error(`unexpected dynamic import of ${specifier} in the bundle`);
  return `${IMPORT_PARAMETER}(${quote}${specifier}${quote})`;
});
if (/(?<![\w$.])import\s*\(/.test(code)) throw new Error('a dynamic import() the bundle cannot run is left in it');
// ASCII only, so that the loader reads it as Latin-1 into a one-byte string: UTF-8 decoding of the
// whole file into a two-byte string cost ~4% of a `say`. esbuild leaves non-ASCII characters in
// regular expressions and comments; \uXXXX means the same there (none is outside the BMP), but
// not in a raw template, so a line with a backtick stops the build instead.
code = code.replace(/[^\x00-\x7f]/g, (char, offset) => {
  const lineStart = code.lastIndexOf('\n', offset) + 1;
  const lineEnd = code.indexOf('\n', offset);
  if (code.slice(lineStart, lineEnd).includes('`')) throw new Error(`non-ASCII character in a template literal of the bundle: ${code.slice(lineStart, lineEnd)}`);
  if (char.codePointAt(0) > 0xffff) throw new Error('a character outside the BMP in the bundle');
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
});
writeFileSync(bundleFile, code);

await build({ ...common, entryPoints: [join(root, 'dist', 'cli', 'launch.js')], outfile: join(out, 'launch.cjs') });

const { helpPages } = await import(pathToFileURL(join(root, 'dist', 'cli', 'help-pages.js')).href);
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
writeFileSync(join(out, 'cli.json'), `${JSON.stringify({ hash, pages: await helpPages() })}\n`);
rmSync(target, { recursive: true, force: true });
renameSync(out, target);
