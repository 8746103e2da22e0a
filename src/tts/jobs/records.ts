// The job record store: a directory of small JSON files, one per submitted job, so a job's name
// outlives the process that submitted it. A record is written (and flushed to disk) before the
// submit request leaves, and again the moment the name arrives; `inworld jobs` and a re-run of
// the submitting command find the job there. Each write replaces the whole file atomically.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomically } from '../../core/atomic-file.js';
import { fileError } from '../../core/file-errors.js';
import type { JobKind } from './protocol.js';

export const JOB_RECORD_VERSION = 1;
const RECORD_SUFFIX = '.job.json';

/**
 * `submitting`: the request may be on its way (no name yet); `running`: the name is known;
 * `failed`: the job ended with an error; `downloaded`: its files are in place.
 */
export type JobState = 'submitting' | 'running' | 'failed' | 'downloaded';

/** Where one job's audio (and timestamps) go. Paths are absolute. */
export interface JobOutput {
  audio: string;
  timestamps?: string;
  /** Headerless PCM is written as WAV with this sample rate. */
  wavSampleRateHertz?: number;
}

/** One batch item: its customId and where its files go. */
export interface JobItemOutput extends JobOutput {
  customId: string;
}

/** A job as recorded in the work directory: written before the request, updated when its name arrives. */
export interface JobRecord {
  version: number;
  /** Local id: the record's file name without its suffix. */
  id: string;
  kind: JobKind;
  state: JobState;
  /** The operation name, once the service gave it. */
  name?: string;
  /** What a re-run uses to find this job again (a hash of the request and the outputs). */
  key: string;
  createdAt: string;
  updatedAt: string;
  /** The base URL the job was submitted to (jobs are read from the same service). */
  baseUrl?: string;
  /** Our X-Request-Id of the submit request. */
  submitRequestId?: string;
  summary: { characters: number; items?: number; voiceId?: string; modelId?: string; encoding?: string };
  /** Async jobs: where the files go. */
  output?: JobOutput;
  /** Batch jobs: where each item's files go. */
  items?: JobItemOutput[];
  /** Why the job (or its submission) failed. */
  error?: { message: string; code?: number };
  /** Bytes of audio downloaded (async), or items downloaded (batch). */
  downloaded?: number;
}

/**
 * The default directory for job records when no --work-dir is given:
 * $XDG_STATE_HOME/inworld/jobs, else ~/.local/state/inworld/jobs.
 */
export function defaultJobsDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME?.trim() ? env.XDG_STATE_HOME : join(env.HOME?.trim() ? env.HOME : homedir(), '.local', 'state');
  return join(state, 'inworld', 'jobs');
}

/** A stable key for a request and where it goes: the same work re-run finds the same record. */
export function jobKey(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export class JobRecordStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}${RECORD_SUFFIX}`);
  }

  /** Writes a new record in state `submitting`, flushed to disk, and returns it. */
  async begin(fields: Omit<JobRecord, 'version' | 'id' | 'state' | 'createdAt' | 'updatedAt'>): Promise<JobRecord> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (error) {
      throw fileError('create-directory', this.dir, error, { what: 'job work directory', beforeRequest: true });
    }
    const now = new Date().toISOString();
    const record: JobRecord = { version: JOB_RECORD_VERSION, id: `${now.slice(0, 10)}-${randomUUID().slice(0, 8)}`, state: 'submitting', createdAt: now, updatedAt: now, ...fields };
    await this.write(record, true);
    return record;
  }

  /** Applies `patch` to the record and writes it through to disk. */
  async update(record: JobRecord, patch: Partial<JobRecord>): Promise<JobRecord> {
    Object.assign(record, patch, { updatedAt: new Date().toISOString() });
    await this.write(record, false);
    return record;
  }

  async remove(record: JobRecord): Promise<void> {
    await unlink(this.pathOf(record.id)).catch(() => undefined);
  }

  private async write(record: JobRecord, beforeRequest: boolean): Promise<void> {
    await writeFileAtomically(this.pathOf(record.id), `${JSON.stringify(record, null, 2)}\n`, {
      durable: true,
      what: 'job record',
      usageErrors: beforeRequest ? 'all' : 'none',
    });
    await syncDirectory(this.dir);
  }

  /** Every readable record, oldest first; files that are not records are skipped. */
  async list(): Promise<JobRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fileError('read', this.dir, error, { what: 'job work directory', beforeRequest: true });
    }
    const records: JobRecord[] = [];
    for (const name of names.filter((n) => n.endsWith(RECORD_SUFFIX) && !n.startsWith('.')).sort()) {
      const record = await this.read(join(this.dir, name));
      if (record) records.push(record);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  private async read(path: string): Promise<JobRecord | undefined> {
    try {
      const record = JSON.parse(await readFile(path, 'utf8')) as JobRecord;
      return record && typeof record === 'object' && record.version === JOB_RECORD_VERSION && typeof record.id === 'string' ? record : undefined;
    } catch {
      return undefined;
    }
  }

  /** The newest record made for `key`, if any. */
  async findByKey(key: string): Promise<JobRecord | undefined> {
    return (await this.list()).filter((record) => record.key === key).at(-1);
  }

  /** A record by local id, operation name, or the operation name's last segments (unique suffix). */
  async find(ref: string): Promise<JobRecord | undefined> {
    const records = await this.list();
    const exact = records.find((record) => record.id === ref || record.name === ref);
    if (exact) return exact;
    const matches = records.filter((record) => record.name?.endsWith(`/${ref}`) || record.name?.includes(`/${ref}/`));
    return matches.length === 1 ? matches[0] : undefined;
  }
}

/** Makes a rename in `dir` durable (a crash right after it keeps the new name). Best effort. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot sync a directory; the file itself was flushed.
  }
}
