// The direction of imports between the parts of src/. A test rather than a lint rule, so it runs
// with every other test:
//   - the emulator (src/emulator) imports nothing else under src/: it is an independent
//     implementation of the service, so it and the client check each other;
//   - client code (src/core, src/tts, src/stt, src/voices, src/pronunciations, src/book, src/audio, src/resources,
//     src/inworld.ts, src/index.ts) never imports a front door: the command line (src/cli), the MCP
//     server (src/mcp) or the OpenAI-compatible gateway (src/serve);
//   - src/mcp and src/serve call the library, never the command line (the CLI may start them);
//   - src/audio (files, devices, WAV) never imports src/tts or src/stt;
//   - src/core is the floor: it imports nothing else under src/ (not tts, stt, voices, audio, cli,
//     resources, inworld.ts, index.ts, nor the emulator).
// Every import and export-from specifier is read, static and dynamic (`import('...')`).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

interface Edge {
  /** Importing file, relative to src/ with `/` separators. */
  from: string;
  /** Imported file, relative to src/ (the `.js` of the specifier kept as written). */
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of `import ... from`, `export ... from`, side-effect `import '...'` and `import('...')`. */
export function specifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

function importEdges(): Edge[] {
  const toSrcPath = (path: string): string => relative(SRC, path).split(sep).join('/');
  return sourceFiles(SRC).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ from: toSrcPath(file), to: toSrcPath(resolve(dirname(file), specifier)) })),
  );
}

const inPart = (path: string, part: string): boolean => path === part || path.startsWith(`${part}/`);
const CLIENT_PARTS = ['core', 'tts', 'stt', 'voices', 'pronunciations', 'book', 'audio', 'resources', 'inworld.ts', 'inworld.js', 'index.ts', 'index.js'];
/** A path relative to src/ that leaves src/ (package.json, say). */
const outsideSrc = (path: string): boolean => path.startsWith('../');
const isClient = (path: string): boolean => CLIENT_PARTS.some((part) => inPart(path, part));

const RULES: Record<string, (edge: Edge) => boolean> = {
  'the emulator imports nothing outside src/emulator': ({ from, to }) => inPart(from, 'emulator') && !inPart(to, 'emulator'),
  'client code does not import src/cli': ({ from, to }) => isClient(from) && inPart(to, 'cli'),
  'client code does not import src/mcp or src/serve': ({ from, to }) => isClient(from) && (inPart(to, 'mcp') || inPart(to, 'serve')),
  'src/mcp and src/serve do not import src/cli': ({ from, to }) => (inPart(from, 'mcp') || inPart(from, 'serve')) && inPart(to, 'cli'),
  'src/audio does not import src/tts or src/stt': ({ from, to }) => inPart(from, 'audio') && (inPart(to, 'tts') || inPart(to, 'stt')),
  'src/core imports nothing else under src/': ({ from, to }) => inPart(from, 'core') && !inPart(to, 'core') && !outsideSrc(to),
};

/**
 * Imports that break a rule today and are waiting for their fix. The test asserts this list
 * exactly: fixing one without removing it here fails, and so does any new one.
 */
const KNOWN_VIOLATIONS: Record<string, string[]> = {
  'the emulator imports nothing outside src/emulator': [],
  'client code does not import src/cli': [],
  'client code does not import src/mcp or src/serve': [],
  'src/mcp and src/serve do not import src/cli': [],
  'src/audio does not import src/tts or src/stt': [],
  'src/core imports nothing else under src/': [],
};

const edges = importEdges();

test('the import scan sees the code base (a scan that finds nothing cannot fail)', () => {
  assert.ok(edges.length > 200, `only ${edges.length} relative imports found under src/`);
  assert.ok(edges.some((edge) => edge.from === 'emulator/index.ts' && edge.to === 'emulator/server/server.js'));
  assert.ok(edges.some((edge) => inPart(edge.from, 'cli') && isClient(edge.to)), 'the CLI uses the client');
  assert.ok(edges.some((edge) => inPart(edge.from, 'core') && inPart(edge.to, 'core')), 'core imports within core');
});

test('the specifier reader finds static, export-from, side-effect and dynamic imports, not comments', () => {
  const source = [
    "import { a } from './a.js';",
    "import type {\n  B,\n} from '../b.js';",
    "export { c } from './c.js';",
    "export * from './d.js';",
    "import './e.js';",
    "const f = await import('./f.js');",
    "// import { g } from './g.js';",
    "/* import('./h.js') */",
  ].join('\n');
  assert.deepEqual(specifiers(source).sort(), ['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js']);
});

test('the floor rule flags core importing any other part, and nothing outside src/', () => {
  const floor = RULES['src/core imports nothing else under src/']!;
  for (const to of ['tts/http.js', 'stt/session.js', 'voices/list.js', 'audio/wav-reader.js', 'cli/ui.js', 'resources/tts.js', 'inworld.js', 'index.js', 'emulator/index.js']) {
    assert.equal(floor({ from: 'core/http.ts', to }), true, to);
  }
  assert.equal(floor({ from: 'core/http.ts', to: 'core/errors.js' }), false);
  assert.equal(floor({ from: 'core/version.ts', to: '../package.json' }), false);
  assert.equal(floor({ from: 'tts/http.ts', to: 'cli/ui.js' }), false);
});

for (const [rule, breaks] of Object.entries(RULES)) {
  test(`import direction: ${rule}`, () => {
    const found = edges.filter(breaks).map(({ from, to }) => `${from} -> ${to}`).sort();
    assert.deepEqual(found, [...KNOWN_VIOLATIONS[rule]!].sort());
  });
}
