// `--shard i/n`: a deterministic share of a book's parts, so n processes that know only their
// own i split the work with no coordinator. Part k belongs to shard (k mod n) + 1: neighbouring
// parts go to different shards, so every shard gets a like share of every chapter.
import { ValidationError } from '../core/errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(spec: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new ValidationError(`--shard takes i/n with 1 <= i <= n (such as 2/4), not "${spec}".`);
  }
  return { index, count };
}

export function inShard(partIndex: number, shard: Shard | undefined): boolean {
  return !shard || partIndex % shard.count === shard.index - 1;
}
