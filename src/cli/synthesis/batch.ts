// `inworld say --batch <file>`: one utterance per line (plain text, or JSON Lines with per-line
// voice and options) synthesized over the WebSocket pool, `--concurrency` at a time, one file per
// line in `--out-dir`. A failed line is retried (retryable errors only), then reported without
// stopping the rest; a re-run skips lines whose file already exists (files appear only when
// complete: they are written under a temporary name and renamed), so a batch is resumable.
// The batch file is read line by line as workers need it, never held whole; prepareBatch checks
// every line first (batch-lines.ts), so a bad line stops the command before any request.
import { setMaxListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { InworldClient } from '../../core/client.js';
import { AuthenticationError, BadRequestError, InworldError, NotFoundError, PermissionDeniedError, UserAbortError, ValidationError } from '../../core/errors.js';
import type { TtsStreamSynthesisOptions } from '../../tts/ws-options.js';
import { DEFAULT_BATCH_CONCURRENCY } from './batch-options.js';
import { checkBatchFile, defaultLineName, parseBatchLine, type BatchItem, type OptionsCheck } from './batch-lines.js';
import { inShard, type Shard } from './server-options.js';

export const DEFAULT_BATCH_RETRIES = 2;
/**
 * A line's audio up to this size is kept in memory and written in one go (temporary file, one
 * write, rename: 4 file-system calls instead of ~20 for a streamed WAV); a longer line streams
 * into a file sink from there on. A worker holds at most two lines (one synthesizing, one being
 * written), so 100 workers hold at most 100 MB.
 */
const IN_MEMORY_LINE_BYTES = 512 * 1024;

export interface BatchRunOptions {
  /** The batch file: one utterance per line; JSON lines may set text, name, voice, voiceDesign, model, language, speakingRate, temperature, deliveryMode, seed. */
  file: string;
  outDir: string;
  /** Options for every line; a JSON line's fields override them. audioConfig.audioEncoding is what the server sends. */
  defaults: TtsStreamSynthesisOptions;
  /** File extension with the dot, e.g. `.wav`. */
  extension: string;
  /** Write a WAV header around the PCM (the output format's container is `wav`). */
  wav: boolean;
  concurrency?: number;
  /** Only this share of the lines (server-options.ts: inShard). */
  shard?: Shard;
  retries?: number;
  signal?: AbortSignal;
  /** One call per line outcome, for progress output. */
  onResult?: (result: BatchLineResult) => void;
}

export interface BatchLineResult {
  /** 1-based line number in the batch file. */
  line: number;
  path: string;
  status: 'written' | 'skipped' | 'failed';
  attempts: number;
  bytes?: number;
  error?: InworldError;
}

export interface BatchSummary {
  written: number;
  skipped: number;
  failed: number;
  results: BatchLineResult[];
}

export interface BatchCheck {
  defaults: TtsStreamSynthesisOptions;
  /** Validates a line's merged options (throws a ValidationError). */
  check: OptionsCheck;
}

/**
 * Checks what can be checked before any request: the file is readable, with `lines` every line of
 * it is valid (one streaming pass), and the directory can be made. Returns the lines to speak.
 */
export async function prepareBatch(options: Pick<BatchRunOptions, 'file' | 'outDir'>, lines?: BatchCheck): Promise<number | undefined> {
  const { assertReadableFile, fileError } = await import('../../core/file-errors.js');
  await assertReadableFile(options.file, 'batch file');
  const count = lines ? await checkBatchFile(options.file, lines.defaults, lines.check) : undefined;
  if (count === 0) return count; // nothing to speak: no directory either
  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (error) {
    throw fileError('create-directory', options.outDir, error, { what: 'output directory', beforeRequest: true });
  }
  // A file is created and removed again: the one check that holds for a read-only disk or a
  // directory the user may not write to (root passes any access() check).
  const { tempNameBeside } = await import('../../core/atomic-file.js');
  const probe = tempNameBeside(join(options.outDir, 'inworld-check'));
  try {
    await (await open(probe, 'wx')).close();
  } catch (error) {
    throw fileError('write-into', options.outDir, error, { what: 'output directory', beforeRequest: true });
  }
  await unlink(probe).catch(() => undefined);
  return count;
}

/**
 * Whether running the batch again may fix a failed line: not for a line the server refused as
 * it stands (400, 401, 403, 404) or one that is itself wrong; yes for a network, server or disk failure.
 */
export function retryCanHelp(error: InworldError | undefined): boolean {
  if (error === undefined) return true;
  const asIs = [ValidationError, BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError];
  return !asIs.some((kind) => error instanceof kind);
}

export async function runBatch(client: InworldClient, options: BatchRunOptions): Promise<BatchSummary> {
  // What the batch needs loads at once, `ws` included (otherwise it starts only when the pool is
  // created), while the file and directory are checked.
  const loading = Promise.all([import('../../tts/pool.js'), loadLineIo(), import('../../core/ws-connection.js').then((m) => m.loadWebSocket())]);
  loading.catch(() => undefined); // reported by the await below, unless prepareBatch fails first
  await prepareBatch(options);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_BATCH_CONCURRENCY);
  // Every in-flight line listens to the same signal (its stream, its slot wait, its retry sleep).
  if (options.signal) setMaxListeners(4 * concurrency + 10, options.signal);
  const [[{ TtsPool, CONTEXTS_PER_CONNECTION }, io], { size }] = await Promise.all([loading, stat(options.file)]);
  const maxConnections = Math.ceil(concurrency / CONTEXTS_PER_CONNECTION);
  const pool = new TtsPool(client, { maxConnections });
  // The connections the batch will use open now, all handshakes at once, while the first lines
  // are read; a connection that cannot open fails the lines placed on it (reported per line).
  // A non-blank line takes at least 2 bytes, so a small file does not open 20 connections.
  const mostLines = Math.min(concurrency, Math.ceil(size / 2));
  pool.warm(Math.ceil(mostLines / CONTEXTS_PER_CONNECTION)).catch(() => undefined);
  const lines = createInterface({ input: createReadStream(options.file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = lines[Symbol.asyncIterator]();
  let [lineNumber, ordinal] = [0, -1];
  const results: BatchLineResult[] = [];

  /** Next non-blank line of the shard as an item; parsing errors become failed results, not a stop. */
  const next = async (): Promise<BatchItem | BatchLineResult | undefined> => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return undefined;
      lineNumber += 1;
      if (value.trim() === '') continue;
      if (!inShard(++ordinal, options.shard)) continue;
      try {
        return parseBatchLine(value, lineNumber, options.defaults);
      } catch (error) {
        return { line: lineNumber, path: '', status: 'failed', attempts: 0, error: error as InworldError };
      }
    }
  };

  /** The next line (of this shard) ready to synthesize, or its outcome when there is nothing to synthesize. */
  const prepare = async (): Promise<{ item: BatchItem; path: string } | BatchLineResult | undefined> => {
    const item = await next();
    if (!item || 'status' in item) return item;
    // prepareBatch has made sure that no two lines share a name.
    const path = join(options.outDir, `${item.name ?? defaultLineName(item.line)}${options.extension}`);
    if (await exists(path)) return { line: item.line, path, status: 'skipped', attempts: 0 };
    return { item, path };
  };

  const report = (result: BatchLineResult): void => {
    results.push(result);
    options.onResult?.(result);
  };

  // Each worker synthesizes one line at a time. While a line synthesizes, the worker reads and
  // checks its next line, and the previous line's file is written (one write at a time per
  // worker), so no file-system round trip sits between one line's audio and the next request.
  const worker = async () => {
    let writing: Promise<void> = Promise.resolve();
    let upcoming = prepare();
    try {
      for (;;) {
        if (options.signal?.aborted) break;
        const prepared = await upcoming;
        if (!prepared) break;
        if ('status' in prepared) {
          report(prepared);
          upcoming = prepare();
          continue;
        }
        const synthesis = synthesizeLine(pool, io, prepared.item, prepared.path, options);
        upcoming = prepare();
        const outcome = await synthesis;
        if ('status' in outcome) {
          report(outcome);
          continue;
        }
        await writing; // one file written at a time per worker: at most two lines held
        writing = writeLine(io, prepared.item, prepared.path, outcome, options).then(report);
      }
    } finally {
      upcoming.catch(() => undefined); // left unread after an abort; lines.close() ends it
      await writing;
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, () => worker()));
  } finally {
    lines.close();
    await pool.close();
  }
  if (options.signal?.aborted) throw options.signal.reason instanceof InworldError ? options.signal.reason : new UserAbortError();
  results.sort((a, b) => a.line - b.line);
  return {
    written: results.filter((r) => r.status === 'written').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    failed: results.filter((r) => r.status === 'failed').length,
    results,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

type LineIo = Awaited<ReturnType<typeof loadLineIo>>;

async function loadLineIo() {
  const [{ openRawFileSink, openWavFileSink }, { wavHeader }, { sleep, decideRetry, BATCH_LINE_RETRY_BACKOFF }] = await Promise.all([
    import('../../audio/file-sink.js'),
    import('../../audio/wav-writer.js'),
    import('../../core/retry.js'),
  ]);
  return { openRawFileSink, openWavFileSink, wavHeader, sleep, decideRetry, BATCH_LINE_RETRY_BACKOFF };
}

/**
 * Writes a line's whole file at once, never visible half-written (core/atomic-file.ts). It is
 * created mid-run, so failing to create it is a failure (exit 1), not a usage error.
 */
async function writeWhole(path: string, chunks: Buffer[]): Promise<void> {
  const { writeFileAtomically } = await import('../../core/atomic-file.js');
  await writeFileAtomically(path, chunks, { usageErrors: 'none' });
}

/** A line's audio held in memory, written by writeLine. */
interface HeldAudio {
  chunks: Buffer[];
  bytes: number;
  attempts: number;
}

/**
 * Synthesizes one line (retrying retryable errors). Audio up to IN_MEMORY_LINE_BYTES comes back
 * in memory for writeLine; longer audio streams into its file here and the outcome comes back.
 */
async function synthesizeLine(
  pool: import('../../tts/pool.js').TtsPool,
  io: LineIo,
  item: BatchItem,
  path: string,
  options: BatchRunOptions,
): Promise<BatchLineResult | HeldAudio> {
  const retries = options.retries ?? DEFAULT_BATCH_RETRIES;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    let sink: Awaited<ReturnType<LineIo['openRawFileSink']>> | undefined;
    try {
      const stream = pool.stream(item.options, { signal: options.signal });
      stream.sendText(item.text, { flush: true });
      stream.end();
      let held: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of stream) {
        if (chunk.type !== 'audio' || chunk.audio.length === 0) continue;
        bytes += chunk.audio.length;
        if (sink) {
          await sink.write(chunk.audio);
          continue;
        }
        held.push(chunk.audio);
        if (bytes > IN_MEMORY_LINE_BYTES) {
          sink = options.wav ? await io.openWavFileSink(path, wavFormat(item)) : await io.openRawFileSink(path);
          for (const piece of held) await sink.write(piece);
          held = [];
        }
      }
      if (!sink) return { chunks: held, bytes, attempts };
      await sink.end();
      return { line: item.line, path, status: 'written', attempts, bytes };
    } catch (raw) {
      const error = raw instanceof InworldError ? raw : new InworldError((raw as Error).message, { cause: raw });
      await sink?.abort(error);
      const decision = io.decideRetry(error, attempts, retries, io.BATCH_LINE_RETRY_BACKOFF);
      if (options.signal?.aborted || !decision.retry) {
        return { line: item.line, path, status: 'failed', attempts, error };
      }
      await io.sleep(decision.delayMs, options.signal).catch(() => undefined);
    }
  }
}

function wavFormat(item: BatchItem): { sampleRateHertz: number; channels: number; bitsPerSample: number } {
  return { sampleRateHertz: item.options.audioConfig?.sampleRateHertz ?? 24_000, channels: 1, bitsPerSample: 16 };
}

/** Writes a line's held audio as its file (WAV header around it when asked); never throws. */
async function writeLine(io: LineIo, item: BatchItem, path: string, audio: HeldAudio, options: BatchRunOptions): Promise<BatchLineResult> {
  try {
    if (options.wav) {
      // As the WAV file sink does: a trailing partial sample frame is dropped.
      const whole = audio.bytes - (audio.bytes % 2);
      await writeWhole(path, [io.wavHeader({ ...wavFormat(item), dataBytes: whole }), Buffer.concat(audio.chunks, whole)]);
    } else {
      await writeWhole(path, audio.chunks);
    }
    return { line: item.line, path, status: 'written', attempts: audio.attempts, bytes: audio.bytes };
  } catch (error) {
    return { line: item.line, path, status: 'failed', attempts: audio.attempts, error: error as InworldError };
  }
}
