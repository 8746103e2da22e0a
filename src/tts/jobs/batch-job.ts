// Many requests through one server-side batch job, each into its own files, resumable the same
// way as one async job (async-job.ts): the record is written before the submission, the name the
// moment it arrives, and a re-run polls and downloads the recorded batch instead of submitting.
//
//   const result = await synthesizeBatchWithJob(client, [
//     { customId: '0001', request: { text: 'First line.' }, output: { audio: 'out/0001.mp3' } },
//   ], { workDir: 'out/.jobs' });
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import type { InworldClient } from '../../core/client.js';
import { InworldError, ValidationError, type APIError } from '../../core/errors.js';
import { makeApiError } from '../../core/errors.js';
import { abortError } from '../../core/retry.js';
import type { SynthesisOptions } from '../options.js';
import { jobRequestBody, submitRecorded, unconfirmedSubmission, type JobRunOptions } from './async-job.js';
import { downloadText, downloadToFile, SignedUrlExpiredError } from './download.js';
import { getOperation, submitBatchJob, waitForOperation } from './operations.js';
import { BATCH_MAX_ITEMS, CUSTOM_ID_PATTERN, parseBatchResults, type BatchItemWire, type BatchItemResult, type JobOperation } from './protocol.js';
import { jobKey, JobRecordStore, type JobItemOutput, type JobOutput, type JobRecord } from './records.js';

/** One text of a batch: its id, its request and where its audio goes. */
export interface BatchJobItem {
  /** Names the item in the results; letters, digits, `.`, `-`, `_` (at most 128). */
  customId: string;
  request: SynthesisOptions;
  output: JobOutput;
}

/** What became of one batch item's output file. */
export interface BatchItemOutcome {
  customId: string;
  path: string;
  status: 'written' | 'skipped' | 'failed';
  bytes?: number;
  error?: InworldError;
}

/** What a finished batch left: its name, its record and each item's outcome. */
export interface BatchJobResult {
  name: string;
  record: JobRecord;
  items: BatchItemOutcome[];
  resumed: boolean;
}

/** Checks every item before any request (ValidationError naming the item) and builds the body. */
export function batchRequestBody(items: readonly BatchJobItem[], maxTextChars?: number): { items: BatchItemWire[] } {
  if (items.length === 0) throw new ValidationError('A batch job needs at least one item.');
  if (items.length > BATCH_MAX_ITEMS) throw new ValidationError(`A batch job takes at most ${BATCH_MAX_ITEMS} items (got ${items.length}); split the batch (--shard).`);
  const seen = new Set<string>();
  return {
    items: items.map((item) => {
      if (!CUSTOM_ID_PATTERN.test(item.customId)) throw new ValidationError(`Batch item id "${item.customId}" may hold only letters, digits, ".", "-" and "_" (at most 128).`);
      if (seen.has(item.customId)) throw new ValidationError(`Batch item id "${item.customId}" is used twice; each item needs its own.`);
      seen.add(item.customId);
      try {
        return { customId: item.customId, request: jobRequestBody(item.request, maxTextChars) };
      } catch (error) {
        if (error instanceof ValidationError) throw new ValidationError(`Batch item ${item.customId}: ${error.message}`, { hint: error.hint });
        throw error;
      }
    }),
  };
}

function outputsOf(items: readonly BatchJobItem[]): JobItemOutput[] {
  return items.map((item) => ({
    customId: item.customId,
    ...item.output,
    audio: resolve(item.output.audio),
    ...(item.output.timestamps ? { timestamps: resolve(item.output.timestamps) } : {}),
  }));
}

export async function synthesizeBatchWithJob(client: InworldClient, items: readonly BatchJobItem[], options: JobRunOptions): Promise<BatchJobResult> {
  const body = batchRequestBody(items, options.maxTextChars);
  const outputs = outputsOf(items);
  const store = new JobRecordStore(options.workDir);
  const key = jobKey('batch', body, outputs);
  let record = await store.findByKey(key);
  let resumed = false;
  if (record && record.name && record.state !== 'failed') {
    resumed = true;
  } else if (record?.state === 'submitting' && !options.resubmitUnconfirmed) {
    throw unconfirmedSubmission(record, store);
  } else {
    const characters = body.items.reduce((sum, item) => sum + [...item.request.text].length, 0);
    record = await submitRecorded(
      client,
      store,
      { kind: 'batch', key, body, summary: { characters, items: body.items.length, modelId: body.items[0]?.request.modelId }, items: outputs },
      options,
      (wire) => submitBatchJob(client, wire as { items: BatchItemWire[] }, { timeoutMs: options.timeoutMs }),
    );
  }
  options.onSubmitted?.(record, resumed);
  if (record.state === 'downloaded') return { name: record.name!, record, items: outputs.map((o) => ({ customId: o.customId, path: o.audio, status: 'skipped' })), resumed };
  if (options.signal?.aborted) throw abortError(options.signal);
  const operation = await waitForOperation(client, record.name!, { ...options, onPoll: options.onPoll });
  const downloaded = await downloadBatchResult(client, store, record, operation, options);
  return { name: record.name!, record, items: downloaded, resumed };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Downloads a done batch's items to the record's outputs; files already present are kept. When a
 * signed URL has expired, the operation is read once more (a fresh results file, fresh URLs).
 */
export async function downloadBatchResult(
  client: InworldClient,
  store: JobRecordStore,
  record: JobRecord,
  operation: JobOperation,
  options: Pick<JobRunOptions, 'signal' | 'timeoutMs'>,
): Promise<BatchItemOutcome[]> {
  if (operation.error) {
    await store.update(record, { state: 'failed', error: { message: operation.error.serverMessage || operation.error.message, code: operation.error.grpcCode } });
    throw operation.error;
  }
  let current = operation;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const outcomes = await downloadItems(client, record, current, options);
      const written = outcomes.filter((o) => o.status !== 'failed').length;
      await store.update(record, { state: outcomes.every((o) => o.status !== 'failed') ? 'downloaded' : 'running', downloaded: written });
      return outcomes;
    } catch (error) {
      if (!(error instanceof SignedUrlExpiredError) || attempt > 1) throw error;
      current = await getOperation(client, record.name!, { signal: options.signal, timeoutMs: options.timeoutMs });
    }
  }
}

async function downloadItems(client: InworldClient, record: JobRecord, operation: JobOperation, options: Pick<JobRunOptions, 'signal' | 'timeoutMs'>): Promise<BatchItemOutcome[]> {
  const resultsUri = operation.response?.resultsUri;
  if (!resultsUri) throw new InworldError(`The batch ${record.name} is done but names no results file.`);
  const results = new Map<string, BatchItemResult>(parseBatchResults(await downloadText(client, resultsUri, { signal: options.signal, what: 'results file', timeoutMs: options.timeoutMs })).map((r) => [r.customId, r]));
  const outcomes: BatchItemOutcome[] = [];
  for (const output of record.items ?? []) {
    if ((await exists(output.audio)) && (!output.timestamps || (await exists(output.timestamps)))) {
      outcomes.push({ customId: output.customId, path: output.audio, status: 'skipped' });
      continue;
    }
    const result = results.get(output.customId);
    if (!result || result.error || !result.audioUri) {
      const message = result?.error?.message ?? 'the results file does not list this item';
      outcomes.push({ customId: output.customId, path: output.audio, status: 'failed', error: itemError(result?.error?.code, message) });
      continue;
    }
    const bytes = await downloadToFile(client, result.audioUri, output.audio, { signal: options.signal, what: `audio of ${output.customId}`, wavSampleRateHertz: output.wavSampleRateHertz, timeoutMs: options.timeoutMs });
    if (output.timestamps && result.timestampsUri) await downloadToFile(client, result.timestampsUri, output.timestamps, { signal: options.signal, what: `timestamps of ${output.customId}`, timeoutMs: options.timeoutMs });
    outcomes.push({ customId: output.customId, path: output.audio, status: 'written', bytes });
  }
  return outcomes;
}

function itemError(code: number | undefined, message: string): APIError {
  return makeApiError({ grpcCode: code, serverMessage: message }, { retryable: false });
}
