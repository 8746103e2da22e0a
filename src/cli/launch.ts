// What bin/inworld.js runs when the build made the bundle (dist/bundle/): a static answer when the
// command line only asks for help or a completion script, otherwise the bundled CLI through the
// code cache. scripts/bundle-cli.mjs writes dist/bundle/cli.json: the bundle's content hash and
// the help pages.
import { readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from './code-cache.js';
import type { HelpPages } from './help-page.js';
import { staticAnswer } from './static-answers.js';

interface BundleManifest {
  /** Content hash of dist/bundle/cli.cjs: a cache made from other code is never offered to V8. */
  hash: string;
  pages: HelpPages;
}

export function launch(argv: string[], packageRoot: string): Promise<void> | void {
  const bundleDir = join(packageRoot, 'dist', 'bundle');
  const manifest = JSON.parse(readFileSync(join(bundleDir, 'cli.json'), 'utf8')) as BundleManifest;
  const args = argv.slice(2);
  const answer = staticAnswer(args, manifest.pages, packageRoot);
  if (answer !== undefined) {
    printStdout(answer);
    return;
  }
  // One cache per command: each holds the functions its own runs compiled.
  const first = args[0];
  const command = first !== undefined && !first.includes(' ') && Object.hasOwn(manifest.pages, first) ? first : 'other';
  const name = `${manifest.hash}-${process.version}-${process.arch}-${command}.bin`;
  const { main } = loadBundle(join(bundleDir, 'cli.cjs'), name) as { main(argv: string[]): Promise<void> };
  return main(argv);
}

/**
 * Writes straight to file descriptor 1: creating `process.stdout` costs more than printing a help
 * page does. A pipe that is full (non-blocking) gets the rest through `process.stdout`; a reader
 * that left (`inworld --help | head -1`) is not an error.
 */
export function printStdout(text: string): void {
  let rest = Buffer.from(text);
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') process.stdout.write(rest);
    else if (code !== 'EPIPE') throw error;
  }
}
