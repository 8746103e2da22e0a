// Fills the work directory: every part of the plan (or of one shard) not stored yet is requested
// over HTTP (tts/http.ts, with its retries), `concurrency` at a time, and stored as it finishes.
// At most `concurrency` parts' audio is in memory, whatever the size of the book. A part that
// still fails after its retries fails its chapter: the chapter's other parts and the other
// chapters go on, and everything stored stays for the next run.
import type { InworldClient } from '../core/client.js';
import { synthesize } from '../tts/http.js';
import type { ResolvedSynthesisOptions } from '../tts/options.js';
import type { Timestamps } from '../tts/timestamps.js';
import { bookParts, type BookPart, type BookPlan } from './plan.js';
import type { Shard } from './shard.js';
import { inShard } from './shard.js';
import type { WorkDir } from './work-dir.js';

/** Parts requested at once by default: what `say --batch` runs at once over HTTP. */
export const DEFAULT_BOOK_CONCURRENCY = 10;

export type PartEvent =
  | { type: 'part'; part: BookPart; reused: boolean; characters: number; durationSeconds: number }
  | { type: 'chapter-start'; chapterIndex: number }
  | { type: 'chapter-done'; chapterIndex: number }
  | { type: 'chapter-failed'; chapterIndex: number; error: Error };

/** One part's audio (PCM-family encodings as raw PCM) with its measured duration. */
export interface PartAudio {
  audio: Buffer;
  durationSeconds: number;
  timestamps?: Timestamps;
}

/** How one part is synthesized: an HTTP request by default, a server-side job with --server. */
export type PartSynthesizer = (resolved: ResolvedSynthesisOptions, part: BookPart, signal?: AbortSignal) => Promise<PartAudio>;

export interface SynthesizePartsOptions {
  synthesizePart?: PartSynthesizer;
  /** Told after a part's file is stored (the job's downloads can go). */
  onStored?: (part: BookPart) => Promise<void>;
  concurrency?: number;
  shard?: Shard;
  signal?: AbortSignal;
  onEvent?: (event: PartEvent) => void;
  /** Per-request retries; default the client's. */
  maxRetries?: number;
}

export interface PartsSummary {
  synthesized: number;
  reused: number;
  /** Chapters (indexes into the plan) with a part that could not be synthesized, and why. */
  failed: Array<{ chapterIndex: number; error: Error }>;
}

export async function synthesizeParts(client: InworldClient, plan: BookPlan, work: WorkDir, options: SynthesizePartsOptions = {}): Promise<PartsSummary> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_BOOK_CONCURRENCY);
  const emit = options.onEvent ?? (() => undefined);
  const summary: PartsSummary = { synthesized: 0, reused: 0, failed: [] };
  const remaining = plan.chapters.map((entry) => countInShard(entry.firstPart, entry.parts, options.shard));
  const started = new Set<number>();
  const failedChapters = new Set<number>();
  const parts = shardParts(plan, options.shard);
  const synthesizePart: PartSynthesizer =
    options.synthesizePart ??
    (async (resolved, part, signal) => {
      const result = await synthesize(client, { ...resolved, text: part.text }, { signal, maxRetries: options.maxRetries, maxPartsInFlight: 1, maxTextChars: plan.maxTextChars });
      return { audio: result.audio, durationSeconds: result.durationSeconds, ...(result.timestamps ? { timestamps: result.timestamps } : {}) };
    });

  const finishOne = (part: BookPart) => {
    remaining[part.chapterIndex]! -= 1;
    if (remaining[part.chapterIndex] === 0 && !failedChapters.has(part.chapterIndex)) emit({ type: 'chapter-done', chapterIndex: part.chapterIndex });
  };
  const runOne = async (part: BookPart) => {
    if (!started.has(part.chapterIndex)) {
      started.add(part.chapterIndex);
      emit({ type: 'chapter-start', chapterIndex: part.chapterIndex });
    }
    const stored = await work.readMeta(part.key);
    if (stored) {
      summary.reused += 1;
      emit({ type: 'part', part, reused: true, characters: part.text.length, durationSeconds: stored.durationSeconds });
      return finishOne(part);
    }
    try {
      const result = await synthesizePart(plan.resolved, part, options.signal);
      await work.write(part.key, result.audio, { durationSeconds: result.durationSeconds, ...(result.timestamps ? { timestamps: result.timestamps } : {}) });
      await options.onStored?.(part);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (!failedChapters.has(part.chapterIndex)) {
        failedChapters.add(part.chapterIndex);
        summary.failed.push({ chapterIndex: part.chapterIndex, error: error as Error });
        emit({ type: 'chapter-failed', chapterIndex: part.chapterIndex, error: error as Error });
      }
      return finishOne(part);
    }
    summary.synthesized += 1;
    const meta = await work.readMeta(part.key);
    emit({ type: 'part', part, reused: false, characters: part.text.length, durationSeconds: meta?.durationSeconds ?? 0 });
    finishOne(part);
  };

  // Workers pull the next part from one shared iterator: parts start in reading order.
  let abortError: unknown;
  const worker = async () => {
    for (;;) {
      if (abortError !== undefined || options.signal?.aborted) return;
      const next = parts.next();
      if (next.done) return;
      try {
        await runOne(next.value);
      } catch (error) {
        abortError ??= error;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (abortError !== undefined) throw abortError;
  if (options.signal?.aborted) throw options.signal.reason;
  summary.failed.sort((a, b) => a.chapterIndex - b.chapterIndex);
  return summary;
}

function* shardParts(plan: BookPlan, shard: Shard | undefined): Generator<BookPart> {
  for (const part of bookParts(plan)) if (inShard(part.index, shard)) yield part;
}

function countInShard(first: number, count: number, shard: Shard | undefined): number {
  let n = 0;
  for (let index = first; index < first + count; index += 1) if (inShard(index, shard)) n += 1;
  return n;
}
