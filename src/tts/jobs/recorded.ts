// Finishing a job from its record alone, after the process that submitted it is gone (what
// `inworld jobs wait` and `inworld jobs download` do): wait for the operation, then download its
// files to the outputs the record names. Each call reads the operation afresh, so its signed URLs
// are new even when the ones seen before have expired.
import type { InworldClient } from '../../core/client.js';
import { InworldError } from '../../core/errors.js';
import { downloadAsyncResult } from './async-job.js';
import { downloadBatchResult, type BatchItemOutcome } from './batch-job.js';
import { waitForOperation, type WaitOptions } from './operations.js';
import type { JobOperation } from './protocol.js';
import type { JobRecord, JobRecordStore } from './records.js';

export interface FinishedJob {
  operation: JobOperation;
  /** Async: the audio bytes downloaded. */
  audioBytes?: number;
  /** Batch: each item's outcome. */
  items?: BatchItemOutcome[];
}

export async function finishRecordedJob(client: InworldClient, store: JobRecordStore, record: JobRecord, options: WaitOptions = {}): Promise<FinishedJob> {
  if (!record.name) {
    throw new InworldError(`The job of record ${record.id} has no name: its submission was cut off before the service named it.`, {
      hint: 'It may exist on the server; without its name it cannot be read. Delete the record to submit again.',
    });
  }
  const operation = await waitForOperation(client, record.name, options);
  if (record.kind === 'batch') return { operation, items: await downloadBatchResult(client, store, record, operation, options) };
  const result = await downloadAsyncResult(client, store, record, operation, options);
  return { operation, audioBytes: result.audioBytes };
}
