// The emulator's server-side jobs: operations that finish `jobDelayMs` after they were submitted
// (and once their audio is rendered), and the result objects they produced, held in memory
// until the emulator closes. Operations and result URLs follow docs/protocol.md#server-side-jobs.
import { randomBytes, randomUUID } from 'node:crypto';
import { rpcStatus, type RpcStatus } from '../server/grpc.js';
import { UrlSigner } from './signed-urls.js';

export type JobKind = 'async' | 'batch';

/** Inferred `@type` names (the service's are not documented); clients ignore them. */
const TYPE_PREFIX = 'type.googleapis.com/ai.inworld.tts.v1.';

/** One object a job produced: bytes, or (a batch's results file) text made at download time so the URLs in it are fresh. */
export interface StoredObject {
  contentType: string;
  bytes?: Buffer;
  render?: (origin: string) => Buffer;
}

/** One item of a finished batch: its files, or why it failed. */
export interface BatchItemOutcome {
  customId: string;
  audio?: string;
  timestamps?: string;
  error?: RpcStatus;
}

export interface EmulatedJob {
  readonly name: string;
  readonly kind: JobKind;
  readonly createTime: string;
  /** Not done before this time, however fast the audio was rendered. */
  readonly readyAtMs: number;
  settled: boolean;
  error?: RpcStatus;
  audio?: string;
  timestamps?: string;
  items?: BatchItemOutcome[];
  /** Result URLs handed out in the next answers are already expired (the `expired-urls` fault). */
  expiredUrls?: number;
}

export class JobStore {
  readonly signer = new UrlSigner();
  private readonly jobs = new Map<string, EmulatedJob>();
  private readonly objects = new Map<string, StoredObject>();

  /** A new running job in `workspace`, done no sooner than `delayMs` from now. */
  create(kind: JobKind, workspace: string, delayMs: number): EmulatedJob {
    const collection = kind === 'async' ? 'ttsAsyncJobs' : 'ttsBatchJobs';
    const now = Date.now();
    const operation = `${now}-${randomBytes(4).toString('base64url').slice(0, 6)}`;
    const job: EmulatedJob = {
      name: `workspaces/${workspace}/${collection}/${randomUUID()}/operations/${operation}`,
      kind,
      createTime: new Date(now).toISOString(),
      readyAtMs: now + delayMs,
      settled: false,
    };
    this.jobs.set(job.name, job);
    return job;
  }

  /** Runs the job's work; its failure becomes the operation's error. */
  run(job: EmulatedJob, work: () => Promise<void>): void {
    // Started after the submission is answered: rendering must not delay the operation's name.
    new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => {
        job.error = rpcStatus(13, `synthesis failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        job.settled = true;
      });
  }

  get(name: string): EmulatedJob | undefined {
    return this.jobs.get(name);
  }

  put(object: StoredObject, filename: string): string {
    const id = `${randomUUID()}/${filename}`;
    this.objects.set(id, object);
    return id;
  }

  object(id: string): StoredObject | undefined {
    return this.objects.get(id);
  }

  /** The operation as `GET /lro/v1alpha/{name}` answers it; result URLs are signed for `ttlMs` from now. */
  operation(job: EmulatedJob, origin: string, ttlMs: number): Record<string, unknown> {
    const done = job.settled && Date.now() >= job.readyAtMs;
    const kindName = job.kind === 'async' ? 'SynthesizeSpeechAsync' : 'SynthesizeSpeechBatch';
    const out: Record<string, unknown> = {
      name: job.name,
      metadata: { '@type': `${TYPE_PREFIX}${kindName}Metadata`, createTime: job.createTime, state: done ? (job.error ? 'FAILED' : 'SUCCEEDED') : 'RUNNING' },
      done,
    };
    if (!done) return out;
    if (job.error) {
      out.error = job.error;
      return out;
    }
    const expiresAt = this.expiryFor(job, ttlMs);
    const sign = (id: string) => this.signer.sign(origin, id, expiresAt);
    if (job.kind === 'async') {
      out.response = { '@type': `${TYPE_PREFIX}${kindName}Response`, audioUri: sign(job.audio!), ...(job.timestamps ? { timestampsUri: sign(job.timestamps) } : {}) };
    } else {
      const results = this.put({ contentType: 'application/x-ndjson', render: (o) => this.resultsFile(job, o, ttlMs) }, 'results.jsonl');
      out.response = { '@type': `${TYPE_PREFIX}${kindName}Response`, resultsUri: sign(results) };
    }
    return out;
  }

  private expiryFor(job: EmulatedJob, ttlMs: number): number {
    if (job.expiredUrls && job.expiredUrls > 0) {
      job.expiredUrls -= 1;
      return Date.now() - 1000;
    }
    return Date.now() + ttlMs;
  }

  /** The batch results file: one JSON line per item, `{customId, audioUri, timestampsUri}` or `{customId, error}`. */
  private resultsFile(job: EmulatedJob, origin: string, ttlMs: number): Buffer {
    const expiresAt = Date.now() + ttlMs;
    const lines = (job.items ?? []).map((item) => {
      if (item.error) return JSON.stringify({ customId: item.customId, error: item.error });
      const line: Record<string, unknown> = { customId: item.customId, audioUri: this.signer.sign(origin, item.audio!, expiresAt) };
      if (item.timestamps) line.timestampsUri = this.signer.sign(origin, item.timestamps, expiresAt);
      return JSON.stringify(line);
    });
    return Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
  }
}
