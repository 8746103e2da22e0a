// `book --server`: each part (a chapter, or a piece of one over a job's 100,000-character limit)
// synthesized by a server-side async job (tts/jobs/async-job.ts) instead of an HTTP request. The
// job's record goes into <work dir>/jobs before its submission leaves, so Ctrl-C or kill -9 never
// loses a paid job: a re-run picks the job up (polls and downloads it) instead of submitting it
// again. The downloaded audio becomes an ordinary part file; the download itself is then removed.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { InworldClient } from '../core/client.js';
import { AudioAssembler } from '../tts/audio-assembler.js';
import { synthesizeWithJob, type Uninterruptible } from '../tts/jobs/async-job.js';
import type { ResolvedSynthesisOptions } from '../tts/options.js';
import type { BookPart } from './plan.js';
import type { PartAudio, PartSynthesizer } from './synthesize-parts.js';

export { ASYNC_MAX_TEXT_CHARS as BOOK_JOB_MAX_TEXT_CHARS } from '../tts/jobs/protocol.js';

export interface JobPartsOptions {
  workDir: string;
  uninterruptible?: Uninterruptible;
  onSubmitted?: (part: BookPart, name: string, resumed: boolean) => void;
}

export function jobPartSynthesizer(client: InworldClient, options: JobPartsOptions): PartSynthesizer {
  const jobsDir = join(options.workDir, 'jobs');
  return async (resolved: ResolvedSynthesisOptions, part: BookPart, signal?: AbortSignal): Promise<PartAudio> => {
    const audioPath = join(jobsDir, `${part.key}.audio`);
    const timestampsPath = resolved.timestampType ? join(jobsDir, `${part.key}.timestamps.json`) : undefined;
    const result = await synthesizeWithJob(client, { ...resolved, text: part.text }, {
      workDir: jobsDir,
      output: { audio: audioPath, ...(timestampsPath ? { timestamps: timestampsPath } : {}) },
      signal,
      uninterruptible: options.uninterruptible,
      onSubmitted: (record, resumed) => options.onSubmitted?.(part, record.name ?? record.id, resumed),
    });
    // The downloaded file is whatever the service stored (a WAV for LINEAR16): normalised and
    // measured exactly as a streamed response is.
    const assembler = new AudioAssembler(resolved.audioConfig.audioEncoding, resolved.audioConfig.sampleRateHertz);
    const audio = assembler.push(await readFile(audioPath));
    const out: PartAudio = { audio, durationSeconds: assembler.durationSeconds(), ...(result.timestamps ? { timestamps: result.timestamps } : {}) };
    return out;
  };
}

/** Removes a part's downloads once the part file holds its audio. */
export async function removeJobDownloads(workDir: string, key: string): Promise<void> {
  await rm(join(workDir, 'jobs', `${key}.audio`), { force: true });
  await rm(join(workDir, 'jobs', `${key}.timestamps.json`), { force: true });
}
