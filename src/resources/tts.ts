// `inworld.tts`: text-to-speech. HTTP synthesis is stateless; WebSocket streams share one pool
// per Inworld instance, created on first use.
import type { InworldClient } from '../core/client.js';
import { synthesize, synthesizeStream } from '../tts/http.js';
import type { SynthesisCallOptions, SynthesisChunk, SynthesisResult } from '../tts/http-types.js';
import type { SynthesisOptions } from '../tts/options.js';
import { TtsPool, type TtsPoolOptions } from '../tts/pool.js';
import { ResumableSpeech, type ResumableSpeechOptions } from '../tts/resumable-speech.js';
import type { TtsStreamSynthesisOptions } from '../tts/ws-options.js';
import { SentenceSpeaker, type SentenceSpeakerOptions } from '../tts/ws-speaker.js';
import type { TtsStream, TtsStreamOptions } from '../tts/ws-stream.js';
import { synthesizeWithJob, type AsyncJobOptions, type AsyncJobResult } from '../tts/jobs/async-job.js';
import { synthesizeBatchWithJob, type BatchJobItem, type BatchJobResult } from '../tts/jobs/batch-job.js';
import type { JobRunOptions } from '../tts/jobs/async-job.js';
import { TtsJobs } from './jobs.js';

/** The `tts` resource of an {@link Inworld} client. */
export class TextToSpeech {
  private readonly client: InworldClient;
  private readonly poolOptions: TtsPoolOptions | undefined;
  private sharedPool: TtsPool | undefined;
  /** Server-side jobs, one step at a time: submit, get, wait, download. */
  readonly jobs: TtsJobs;

  /** @internal Built by {@link Inworld}; not meant to be constructed directly. */
  constructor(client: InworldClient, poolOptions?: TtsPoolOptions) {
    this.client = client;
    this.poolOptions = poolOptions;
    this.jobs = new TtsJobs(client);
  }

  /**
   * Synthesizes one request (up to 100,000 characters) through a server-side async job into
   * local files. The job's name is recorded in `job.workDir` before anything else happens, so
   * calling again with the same request and outputs resumes it (polls and downloads) instead of
   * submitting a second, billed job.
   *
   * @throws {@link ValidationError} before any request; the job's error if it failed;
   * {@link SignedUrlExpiredError} if a result URL stays refused after a fresh read.
   */
  synthesizeWithJob(request: SynthesisOptions, job: AsyncJobOptions): Promise<AsyncJobResult> {
    return synthesizeWithJob(this.client, request, job);
  }

  /** Many requests through one server-side batch job, each into its own files; resumable like {@link TextToSpeech.synthesizeWithJob}. */
  synthesizeBatchWithJob(items: readonly BatchJobItem[], job: JobRunOptions): Promise<BatchJobResult> {
    return synthesizeBatchWithJob(this.client, items, job);
  }

  /**
   * Streams synthesized audio over HTTP (`POST /tts/v1/voice:stream`) as it is generated. Text
   * longer than one request allows is split at sentence boundaries and pipelined. Breaking out of
   * the loop, or aborting `call.signal`, ends every request.
   *
   * @throws {@link ValidationError} for bad options (before any request), {@link APIError},
   * {@link ConnectionError}, {@link TimeoutError} or {@link UserAbortError} from the iterator.
   */
  synthesize(options: SynthesisOptions, call: SynthesisCallOptions = {}): AsyncIterable<SynthesisChunk> {
    return synthesizeStream(this.client, options, call);
  }

  /**
   * Synthesizes the whole text into one buffer (`POST /tts/v1/voice`, one request per part for
   * long text), for when you want the file rather than the stream.
   */
  generate(options: SynthesisOptions, call: SynthesisCallOptions = {}): Promise<SynthesisResult> {
    return synthesize(this.client, options, call);
  }

  /**
   * Opens a bidirectional WebSocket stream on this client's pool: send text with
   * `sendText()`/`flush()`, call `end()`, and iterate the audio. Returns at once; text sent
   * before the connection is ready is queued. Breaking out of the loop cancels the context.
   *
   * @throws {@link ValidationError} for bad options. Connection failures surface from the iterator.
   */
  stream(options: TtsStreamSynthesisOptions = {}, streamOptions: TtsStreamOptions = {}): TtsStream {
    return this.pool.stream(options, streamOptions);
  }

  /**
   * Speaks sentences one at a time over a pool stream, resending unfinished sentences on a new
   * connection if one drops (each restart is reported as an event).
   */
  speaker(options: TtsStreamSynthesisOptions = {}, speakerOptions: SentenceSpeakerOptions = {}): SentenceSpeaker {
    return new SentenceSpeaker(this.pool, options, speakerOptions);
  }

  /**
   * Speaks sentences over a pool stream as one output that survives dropped connections: the
   * unfinished sentences are spoken again on a new connection, and the `restart` event gives the
   * byte offset to rewind the output to, so it has no gap and no duplicate. Every audio event
   * carries its sentence and its offset in the output; `bytes`, `seconds` and `words` keep the
   * output's running totals.
   *
   * @throws {@link ValidationError} for bad options. A failure that is not a lost connection, or
   * a connection lost more than `maxRetries` times, surfaces from the iterator.
   */
  resumableSpeech(options: TtsStreamSynthesisOptions = {}, speechOptions: ResumableSpeechOptions = {}): ResumableSpeech {
    return new ResumableSpeech(this.pool, options, speechOptions);
  }

  /**
   * The WebSocket connection pool behind {@link TextToSpeech.stream} (5 contexts per connection),
   * created on first access. Use it to `warm()` connections ahead of a burst or read `stats()`.
   */
  get pool(): TtsPool {
    this.sharedPool ??= new TtsPool(this.client, this.poolOptions);
    return this.sharedPool;
  }

  /** @internal Closes the pool, if one was opened; {@link Inworld.close} calls this. */
  async close(): Promise<void> {
    const pool = this.sharedPool;
    this.sharedPool = undefined;
    await pool?.close();
  }
}
