// Wire shapes of Inworld's long-form synthesis jobs (docs/protocol.md#server-side-jobs): the two
// submit endpoints, the long-running operation they return, and the batch results file. Parsing
// is tolerant where the shape is not documented (the operation's metadata and `@type`, the
// results file's format), strict where a wrong answer would lose work (the operation name).
import { makeApiError, ProtocolError, type APIError } from '../../core/errors.js';
import type { SynthesisBodyWire } from '../options.js';

export const TTS_ASYNC_PATH = '/tts/v1/voice:synthesizeAsync';
export const TTS_BATCH_PATH = '/tts/v1/voice:synthesizeBatch';
/** Operations are read at this prefix followed by their full name, slashes and all. */
export const LRO_PATH_PREFIX = '/lro/v1alpha/';

/** Characters of `text` one async job takes (observed); On-Demand plans allow ASYNC_ON_DEMAND_MAX_TEXT_CHARS. */
export const ASYNC_MAX_TEXT_CHARS = 100_000;
/** Characters of `text` one async job takes on an On-Demand plan (observed). */
export const ASYNC_ON_DEMAND_MAX_TEXT_CHARS = 10_000;
/** Items one batch takes: not documented; a bound of ours so a mistaken file is refused locally. */
export const BATCH_MAX_ITEMS = 10_000;
/** A batch item's customId: ours too (the service's rule is not documented). */
export const CUSTOM_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** An async job (one text, `voice:synthesizeAsync`) or a batch (many, `voice:synthesizeBatch`). */
export type JobKind = 'async' | 'batch';

export interface BatchItemWire {
  customId: string;
  request: SynthesisBodyWire;
}

export interface BatchRequestWire {
  items: BatchItemWire[];
}

/** Where a finished async job's files are: signed URLs, fetched without credentials. */
export interface AsyncJobResponse {
  audioUri: string;
  /** Present when the request asked for timestamps. */
  timestampsUri?: string;
}

/** Where a finished batch's results file is. */
export interface BatchJobResponse {
  resultsUri: string;
}

/** A long-running operation as polled. */
export interface JobOperation {
  /** `workspaces/{ws}/ttsAsyncJobs/{job}/operations/{op}` (or `ttsBatchJobs/…`). */
  name: string;
  done: boolean;
  /** Whatever the service reports while it runs; not documented, passed through. */
  metadata?: Record<string, unknown>;
  /** Present when done and failed. */
  error?: APIError;
  /** Present when done and succeeded: the signed URLs of an async job or a batch. */
  response?: Partial<AsyncJobResponse & BatchJobResponse> & Record<string, unknown>;
}

/** One line of a batch's results file, keyed by the customId the item was sent with. */
export interface BatchItemResult {
  customId: string;
  audioUri?: string;
  timestampsUri?: string;
  /** The item failed (the others may still have succeeded). */
  error?: { code?: number; message: string };
}

/** An operation name we are willing to put in a URL path: no empty, `.` or `..` segments. */
export function isOperationName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) return false;
  if (!/^[A-Za-z0-9._~@:-]+(?:\/[A-Za-z0-9._~@:-]+)*$/.test(name)) return false;
  return name.split('/').every((segment) => segment !== '.' && segment !== '..');
}

/** The API path that reads an operation. */
export function operationPath(name: string): string {
  return `${LRO_PATH_PREFIX}${name}`;
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringField(record: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = record?.[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Reads an operation; a ProtocolError when it has no usable name. */
export function parseOperation(data: unknown, requestId?: string): JobOperation {
  const record = objectOf(data);
  const name = record?.name;
  if (!isOperationName(name)) {
    throw new ProtocolError(
      { serverMessage: `the operation has no usable name (got ${JSON.stringify(name)?.slice(0, 120)})`, requestId },
      { retryable: false },
    );
  }
  const operation: JobOperation = { name, done: record!.done === true };
  const metadata = objectOf(record!.metadata);
  if (metadata) operation.metadata = metadata;
  const error = objectOf(record!.error);
  if (error) {
    const code = typeof error.code === 'number' ? error.code : undefined;
    const message = typeof error.message === 'string' ? error.message : 'the job failed';
    // The operation's error is the job's final answer, not a failed request: never retried.
    operation.error = makeApiError({ grpcCode: code, serverMessage: message, requestId, body: error }, { retryable: false });
    operation.done = true;
  }
  const response = objectOf(record!.response);
  if (response) {
    const audioUri = stringField(response, 'audioUri', 'audio_uri');
    const timestampsUri = stringField(response, 'timestampsUri', 'timestamps_uri');
    const resultsUri = stringField(response, 'resultsUri', 'results_uri');
    operation.response = { ...response, ...(audioUri ? { audioUri } : {}), ...(timestampsUri ? { timestampsUri } : {}), ...(resultsUri ? { resultsUri } : {}) };
  }
  return operation;
}

function itemResultOf(value: unknown): BatchItemResult | undefined {
  const record = objectOf(value);
  const customId = stringField(record, 'customId', 'custom_id');
  if (!record || !customId) return undefined;
  // Either flat, or the item's own response / result object.
  const inner = objectOf(record.response) ?? objectOf(record.result) ?? record;
  const result: BatchItemResult = { customId };
  const audioUri = stringField(inner, 'audioUri', 'audio_uri') ?? stringField(record, 'audioUri', 'audio_uri');
  const timestampsUri = stringField(inner, 'timestampsUri', 'timestamps_uri') ?? stringField(record, 'timestampsUri', 'timestamps_uri');
  if (audioUri) result.audioUri = audioUri;
  if (timestampsUri) result.timestampsUri = timestampsUri;
  const error = objectOf(record.error) ?? objectOf(inner.error);
  if (error) result.error = { ...(typeof error.code === 'number' ? { code: error.code } : {}), message: typeof error.message === 'string' ? error.message : 'the item failed' };
  else if (!audioUri) result.error = { message: 'the results file names no audio for this item' };
  return result;
}

/**
 * Reads a batch results file: JSON Lines (one item per line, what the emulator writes), or one
 * JSON document holding an array (bare, or under `results` / `items`). Items without a customId
 * are skipped; an unreadable file is a ProtocolError.
 */
export function parseBatchResults(text: string): BatchItemResult[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  let values: unknown[] | undefined;
  try {
    const whole: unknown = JSON.parse(trimmed);
    values = Array.isArray(whole) ? whole : (objectOf(whole)?.results ?? objectOf(whole)?.items ?? [whole]) as unknown[];
    if (!Array.isArray(values)) values = [whole];
  } catch {
    values = undefined;
  }
  if (values === undefined) {
    values = [];
    for (const [index, line] of trimmed.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      try {
        values.push(JSON.parse(line));
      } catch {
        throw new ProtocolError({ serverMessage: `the batch results file is not JSON Lines (line ${index + 1})` }, { retryable: false });
      }
    }
  }
  return values.map(itemResultOf).filter((item): item is BatchItemResult => item !== undefined);
}
