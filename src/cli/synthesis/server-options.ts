// The `say` flags for server-side jobs (--server, --work-dir, --resubmit) and for splitting a
// batch across machines (--shard), apart from their runners so a plain `say` loads neither.
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface ServerFlags {
  server?: boolean;
  workDir?: string;
  resubmit?: boolean;
  shard?: Shard;
}

/** `i/n` with 1 <= i <= n. */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError(`--shard takes i/n with 1 <= i <= n, e.g. 2/8 (got "${value}").`);
  }
  return { index, count };
}

/**
 * Which lines a shard takes: the k-th non-blank line of the batch file (k from 0) belongs to
 * shard (k mod n) + 1, so n shards cover every line exactly once and each gets an even share,
 * with no coordinator, whatever machine runs which shard.
 */
export function inShard(ordinal: number, shard: Shard | undefined): boolean {
  return shard === undefined || ordinal % shard.count === shard.index - 1;
}

export function addServerOptions(command: Command): Command {
  return command
    .addOption(new Option('--server', 'synthesize on the server as a job (async for one text, batch with --batch), then download the result'))
    .addOption(new Option('--work-dir <dir>', 'where --server keeps its job records (default $XDG_STATE_HOME/inworld/jobs)'))
    .addOption(new Option('--resubmit', 'with --server: submit again even if an earlier submission was cut off before the job was named'))
    .addOption(new Option('--shard <i/n>', 'with --batch: take only share i of n of the lines (line k goes to share k mod n + 1)').argParser(parseShard));
}
