// The `say --batch` flags, apart from the batch runner so that a plain `say` does not load the
// runner's modules (readline, the pool) before its request.
import { Option, type Command } from 'commander';
import { positiveInt } from '../options.js';

export const DEFAULT_BATCH_CONCURRENCY = 10;

export interface BatchFlags {
  batch?: string;
  outDir?: string;
  concurrency?: number;
}

/** Adds --batch, --out-dir and --concurrency to a command (for `say`). */
export function addBatchOptions(command: Command): Command {
  return command
    .addOption(new Option('--batch <file>', 'synthesize each line of a file (text, or JSON Lines with per-line options) into its own file'))
    .addOption(new Option('--out-dir <dir>', 'directory for --batch output files (default: current directory)'))
    .addOption(
      new Option('--concurrency <n>', `lines synthesized at once with --batch (default ${DEFAULT_BATCH_CONCURRENCY})`).argParser(positiveInt('--concurrency')),
    );
}
