// One text through one server-side async job into local files, resumable:
//
//   const result = await synthesizeWithJob(client, { text, voiceId: 'Ashley', audioConfig: { audioEncoding: 'MP3' } }, {
//     workDir: 'book.work/jobs', output: { audio: 'book.work/ch01.mp3', timestamps: 'book.work/ch01.timestamps.json' },
//   });
//
// The job's record is written in `workDir` before the request leaves and again once the name
// arrives. Running the same call again (same request, same outputs) finds that record: a job
// already downloaded is answered from the record with no request; one still running (or never
// downloaded) is polled and downloaded; only a job that failed, or was never created, is
// submitted again. A submission cut off after its body left is not repeated automatically (it
// may have created a job): the call says so, and the caller may pass `resubmitUnconfirmed`.
import { resolve } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import type { InworldClient } from '../../core/client.js';
import { APIError, ConnectionError, InworldError, ProtocolError, ValidationError } from '../../core/errors.js';
import { abortError } from '../../core/retry.js';
import { buildSynthesisBody, validateSynthesisOptions, type SynthesisBodyWire, type SynthesisOptions } from '../options.js';
import { parseTimestampInfo, type Timestamps } from '../timestamps.js';
import { downloadToFile, SignedUrlExpiredError } from './download.js';
import { getOperation, submitAsyncJob, waitForOperation, type WaitOptions } from './operations.js';
import { ASYNC_MAX_TEXT_CHARS, ASYNC_ON_DEMAND_MAX_TEXT_CHARS, type JobOperation } from './protocol.js';
import { jobKey, JobRecordStore, type JobOutput, type JobRecord } from './records.js';

/** Runs `work` with interruptions held back (the CLI defers Ctrl-C while a job's name is unknown). */
export type Uninterruptible = <T>(work: () => Promise<T>) => Promise<T>;

/** How a job is submitted, recorded and waited for. */
export interface JobRunOptions extends Omit<WaitOptions, 'onPoll'> {
  /** Directory of job records (created when missing). */
  workDir: string;
  /** Largest text accepted, characters; default ASYNC_MAX_TEXT_CHARS (10,000 on On-Demand plans). */
  maxTextChars?: number;
  /** Submit again even though an earlier submission may have created a job whose name never arrived. */
  resubmitUnconfirmed?: boolean;
  uninterruptible?: Uninterruptible;
  /** Told once the job's name is recorded (or found in an earlier record). */
  onSubmitted?: (record: JobRecord, resumed: boolean) => void;
  /** Told after each poll that found the job still running, with the polls so far. */
  onPoll?: (operation: JobOperation, polls: number) => void;
}

/** synthesizeWithJob's options: JobRunOptions and where the files go. */
export interface AsyncJobOptions extends JobRunOptions {
  /** Where the audio (and, when timestamps were asked for, the timestamps JSON) go. */
  output: JobOutput;
}

/** What a finished async job left: its name, its record and the files written. */
export interface AsyncJobResult {
  /** The operation name. */
  name: string;
  record: JobRecord;
  audioPath: string;
  audioBytes: number;
  timestampsPath?: string;
  /** The timestamps read back from the timestamps file. */
  timestamps?: Timestamps;
  /** True when an earlier record was picked up instead of submitting. */
  resumed: boolean;
}

/** The text limit check for one job (ValidationError, before any request). */
export function checkJobText(text: string, maxTextChars = ASYNC_MAX_TEXT_CHARS, what = 'Text'): void {
  const length = [...text].length;
  if (length > maxTextChars) {
    const plan = maxTextChars === ASYNC_ON_DEMAND_MAX_TEXT_CHARS ? ' on an On-Demand plan' : '';
    throw new ValidationError(`${what} is ${length} characters; one server-side job takes at most ${maxTextChars}${plan}. Split it into parts (a book is split by chapter).`);
  }
}

/** Validates the options for a job and builds the `/tts/v1/voice` body it carries. */
export function jobRequestBody(options: SynthesisOptions, maxTextChars?: number): SynthesisBodyWire {
  const resolved = validateSynthesisOptions(options);
  checkJobText(options.text, maxTextChars);
  // The async endpoint takes the /tts/v1/voice body, which has no timestamp transport.
  return buildSynthesisBody(resolved, { includeTransportStrategy: false });
}

function absoluteOutput(output: JobOutput): JobOutput {
  return { ...output, audio: resolve(output.audio), ...(output.timestamps ? { timestamps: resolve(output.timestamps) } : {}) };
}

/** Synthesizes one request through an async job into `options.output`; see the file comment. */
export async function synthesizeWithJob(client: InworldClient, request: SynthesisOptions, options: AsyncJobOptions): Promise<AsyncJobResult> {
  const body = jobRequestBody(request, options.maxTextChars);
  const output = absoluteOutput(options.output);
  const store = new JobRecordStore(options.workDir);
  const key = jobKey('async', body, output);
  let record = await store.findByKey(key);
  let resumed = false;
  if (record?.state === 'downloaded' && (await filesPresent(output))) {
    options.onSubmitted?.(record, true);
    return finished(record, output, true);
  }
  if (record && record.name && record.state !== 'failed') {
    resumed = true;
  } else if (record?.state === 'submitting' && !options.resubmitUnconfirmed) {
    throw unconfirmedSubmission(record, store);
  } else {
    record = await submitRecorded(client, store, { kind: 'async', key, body, summary: summaryOf(body), output }, options);
  }
  options.onSubmitted?.(record, resumed);
  if (options.signal?.aborted) throw abortError(options.signal);
  const operation = await waitForOperation(client, record.name!, { ...options, onPoll: options.onPoll });
  return downloadAsyncResult(client, store, record, operation, options, resumed);
}

/** Downloads a done async operation's files to the record's outputs (one fresh read if a URL expired). */
export async function downloadAsyncResult(
  client: InworldClient,
  store: JobRecordStore,
  record: JobRecord,
  operation: JobOperation,
  options: Pick<JobRunOptions, 'signal' | 'timeoutMs'>,
  resumed = true,
): Promise<AsyncJobResult> {
  if (operation.error) {
    await store.update(record, { state: 'failed', error: { message: operation.error.serverMessage || operation.error.message, code: operation.error.grpcCode } });
    throw operation.error;
  }
  const output = record.output!;
  let current = operation;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const audioUri = current.response?.audioUri;
      if (!audioUri) throw new InworldError(`The job ${record.name} is done but names no audio.`);
      const bytes = await downloadToFile(client, audioUri, output.audio, { signal: options.signal, what: 'audio', wavSampleRateHertz: output.wavSampleRateHertz, timeoutMs: options.timeoutMs });
      if (output.timestamps) {
        const uri = current.response?.timestampsUri;
        if (!uri) throw new InworldError(`The job ${record.name} is done but names no timestamps, though they were asked for.`);
        await downloadToFile(client, uri, output.timestamps, { signal: options.signal, what: 'timestamps', timeoutMs: options.timeoutMs });
      }
      await store.update(record, { state: 'downloaded', downloaded: bytes });
      return finished(record, output, resumed);
    } catch (error) {
      // Signed URLs are short-lived: reading the operation again gives fresh ones, once.
      if (!(error instanceof SignedUrlExpiredError) || attempt > 1) throw error;
      client.logger.debug(`jobs: a signed URL of ${record.name} expired; reading the operation again`);
      current = await getOperation(client, record.name!, { signal: options.signal, timeoutMs: options.timeoutMs });
    }
  }
}

async function finished(record: JobRecord, output: JobOutput, resumed: boolean): Promise<AsyncJobResult> {
  const result: AsyncJobResult = { name: record.name!, record, audioPath: output.audio, audioBytes: record.downloaded ?? 0, resumed };
  if (output.timestamps) {
    result.timestampsPath = output.timestamps;
    result.timestamps = await readTimestampsFile(output.timestamps);
  }
  return result;
}

/** A downloaded timestamps file: a `timestampInfo` object, bare or wrapped (the service's shape is not documented). */
export async function readTimestampsFile(path: string): Promise<Timestamps | undefined> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    return parseTimestampInfo(json?.timestampInfo ?? json);
  } catch {
    return undefined;
  }
}

async function filesPresent(output: JobOutput): Promise<boolean> {
  for (const path of [output.audio, output.timestamps]) {
    if (path === undefined) continue;
    try {
      await stat(path);
    } catch {
      return false;
    }
  }
  return true;
}

function summaryOf(body: SynthesisBodyWire): JobRecord['summary'] {
  return { characters: [...body.text].length, voiceId: body.voiceId, modelId: body.modelId, encoding: body.audioConfig.audioEncoding };
}

export function unconfirmedSubmission(record: JobRecord, store: JobRecordStore): ValidationError {
  return new ValidationError(
    `An earlier submission of this job (record ${record.id} in ${store.dir}) was cut off before the service named the job; it may exist and be billed.`,
    { hint: 'Check with `inworld jobs list`; to submit again anyway, delete that record (or pass resubmitUnconfirmed / --resubmit).' },
  );
}

/**
 * Writes the pending record, sends the submission with interruptions held, records the name.
 * When the service answered with an error, or the request never left, nothing was created and
 * the record is removed; any other failure leaves it `submitting` (the job may exist).
 */
export async function submitRecorded(
  client: InworldClient,
  store: JobRecordStore,
  fields: Pick<JobRecord, 'kind' | 'key' | 'summary' | 'output' | 'items'> & { body: unknown },
  options: Pick<JobRunOptions, 'uninterruptible' | 'timeoutMs'>,
  send: (body: unknown) => Promise<import('./operations.js').SubmittedJob> = (body) => submitAsyncJob(client, body as SynthesisBodyWire, { timeoutMs: options.timeoutMs }),
): Promise<JobRecord> {
  const { body, ...recordFields } = fields;
  const record = await store.begin({ ...recordFields, baseUrl: String(client.connection.baseUrl) });
  const hold: Uninterruptible = options.uninterruptible ?? ((work) => work());
  return hold(async () => {
    let submitted;
    try {
      // No abort signal: a submission cut off midway may create a job whose name we never learn.
      submitted = await send(body);
    } catch (error) {
      // A 4xx is the service refusing the request; an unreadable answer or a 5xx may follow a created job.
      const refused = error instanceof APIError && !(error instanceof ProtocolError) && error.status !== undefined && error.status < 500;
      const nothingCreated = refused || (error instanceof ConnectionError && error.requestNotSent);
      if (nothingCreated) await store.remove(record);
      else await store.update(record, { error: { message: (error as Error).message } }).catch(() => undefined);
      throw error;
    }
    return store.update(record, { state: 'running', name: submitted.operation.name, submitRequestId: submitted.requestId, error: undefined });
  });
}
