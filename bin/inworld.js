#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json), because a CommonJS entry starts faster than an ES module: Node's
// ESM loader costs more than a bare Node start has to spare for `--version` and `--help`.
//
// `--version` is answered here. Otherwise the bundle the build makes (dist/bundle/: static help
// and completion answers, the CLI through V8's code cache) runs; `--verbose` runs the ES modules
// in dist/cli instead, so that stack traces name the real files, and so does a build without
// the bundle.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Straight to the file descriptor: creating process.stdout would cost more than the rest.
  try {
    require('node:fs').writeSync(1, `${require('../package.json').version}\n`);
  } catch (error) {
    if (error.code === 'EAGAIN') process.stdout.write(`${require('../package.json').version}\n`);
    else if (error.code !== 'EPIPE') throw error;
  }
} else if (args.includes('--verbose') || args.includes('-v') || !launchBundle()) {
  // Node 22.1+ keeps the compiled modules between runs; older Node compiles on every start.
  require('node:module').enableCompileCache?.();
  import('../dist/cli/main.js').then(({ main }) => main(process.argv));
}

function launchBundle() {
  let launcher;
  try {
    launcher = require('../dist/bundle/launch.cjs');
  } catch (error) {
    if (error.code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
  launcher.launch(process.argv, require('node:path').join(__dirname, '..'));
  return true;
}
