// `inworld.tts.jobs`: Inworld's server-side long-form synthesis, one call per step (submit, read,
// wait, download) for callers that keep job names themselves. `tts.synthesizeWithJob` and
// `tts.synthesizeBatchWithJob` do all the steps and keep the names in a work directory.
import type { InworldClient } from '../core/client.js';
import { InworldError } from '../core/errors.js';
import { jobRequestBody } from '../tts/jobs/async-job.js';
import { batchRequestBody, type BatchJobItem } from '../tts/jobs/batch-job.js';
import { downloadToFile, type DownloadOptions } from '../tts/jobs/download.js';
import { getOperation, submitAsyncJob, submitBatchJob, waitForOperation, type JobCallOptions, type SubmittedJob, type WaitOptions } from '../tts/jobs/operations.js';
import type { JobOperation } from '../tts/jobs/protocol.js';
import type { SynthesisOptions } from '../tts/options.js';

/** Where {@link TtsJobs.download} writes an async job's files. */
export interface JobDownloadTarget {
  audio: string;
  timestamps?: string;
  /** Write headerless PCM as WAV with this sample rate. */
  wavSampleRateHertz?: number;
}

/** The `tts.jobs` resource of an {@link Inworld} client. */
export class TtsJobs {
  private readonly client: InworldClient;

  /** @internal Built by {@link TextToSpeech}. */
  constructor(client: InworldClient) {
    this.client = client;
  }

  /**
   * Submits one request as an async job (`voice:synthesizeAsync`). Never repeated once the body
   * was sent: keep the returned name, it is the only way to the result.
   *
   * @throws {@link ValidationError} for bad options or text over the job limit (before any request).
   */
  submit(options: SynthesisOptions, call: JobCallOptions & { maxTextChars?: number } = {}): Promise<SubmittedJob> {
    return submitAsyncJob(this.client, jobRequestBody(options, call.maxTextChars), call);
  }

  /** Submits many requests as one batch job (`voice:synthesizeBatch`); never repeated once sent. */
  submitBatch(items: ReadonlyArray<Pick<BatchJobItem, 'customId' | 'request'>>, call: JobCallOptions & { maxTextChars?: number } = {}): Promise<SubmittedJob> {
    const body = batchRequestBody(items.map((item) => ({ ...item, output: { audio: '' } })), call.maxTextChars);
    return submitBatchJob(this.client, body, call);
  }

  /** Reads a job's operation once (fresh signed URLs when it is done). */
  get(name: string, call: JobCallOptions = {}): Promise<JobOperation> {
    return getOperation(this.client, name, call);
  }

  /** Polls until the job is done (backoff with jitter; 429/5xx/network failures retried). The result's `error` is set when the job failed. */
  wait(name: string, options: WaitOptions = {}): Promise<JobOperation> {
    return waitForOperation(this.client, name, options);
  }

  /**
   * Downloads a done async job's audio (and timestamps) to files, reading the operation first so
   * the signed URLs are fresh. Returns the audio bytes.
   *
   * @throws the job's error when it failed; {@link SignedUrlExpiredError} when a URL is refused.
   */
  async download(name: string, target: JobDownloadTarget, call: JobCallOptions = {}): Promise<number> {
    const operation = await getOperation(this.client, name, call);
    if (operation.error) throw operation.error;
    const response = operation.response;
    if (!operation.done || !response?.audioUri) throw new InworldError(`The job ${name} is not done yet.`, { hint: 'Wait for it first (tts.jobs.wait).' });
    const options: DownloadOptions = { signal: call.signal, timeoutMs: call.timeoutMs, what: 'audio', wavSampleRateHertz: target.wavSampleRateHertz };
    const bytes = await downloadToFile(this.client, response.audioUri, target.audio, options);
    if (target.timestamps && response.timestampsUri) await downloadToFile(this.client, response.timestampsUri, target.timestamps, { ...options, what: 'timestamps', wavSampleRateHertz: undefined });
    return bytes;
  }
}
