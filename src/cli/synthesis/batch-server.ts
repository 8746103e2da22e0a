// `inworld say --batch <file> --server`: the batch file's lines (this --shard's share of them)
// as one server-side batch job, its results downloaded into the same files a local --batch
// writes (`--out-dir`/<name or line number>.<ext>). Lines whose file exists are left out, so a
// re-run after a finished batch sends nothing; a batch interrupted after it was submitted is found
// in the work directory and downloaded instead of being submitted again.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { InworldError, ValidationError } from '../../core/errors.js';
import type { BatchJobItem } from '../../tts/jobs/batch-job.js';
import type { JobRecord } from '../../tts/jobs/records.js';
import { holdInterrupts, interruptSignal, reportKept } from '../interrupt.js';
import { createUi, note, warn } from '../ui.js';
import { planAudioOutput } from './audio-output.js';
import { defaultLineName, parseBatchLine } from './batch-lines.js';
import type { SayFlags } from './say.js';
import { inShard } from './server-options.js';
import { jobsHint } from './say-server.js';
import { toSynthesisOptions } from './synthesis-flags.js';

async function missing(path: string): Promise<boolean> {
  return stat(path).then(
    () => false,
    () => true,
  );
}

/** This shard's lines as batch items, those whose file is already there left out. */
async function collectItems(file: string, defaults: ReturnType<typeof toSynthesisOptions>, outDir: string, extension: string, wavRate: number | undefined, flags: SayFlags) {
  const { checkJobText } = await import('../../tts/jobs/async-job.js');
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  const items: BatchJobItem[] = [];
  let line = 0;
  let ordinal = -1;
  let inThisShard = 0;
  for await (const value of lines) {
    line += 1;
    if (value.trim() === '') continue;
    ordinal += 1;
    if (!inShard(ordinal, flags.shard)) continue;
    inThisShard += 1;
    const item = parseBatchLine(value, line, defaults, undefined, file);
    checkJobText(item.text, undefined, `${file}, line ${line}: its text`);
    const name = item.name ?? defaultLineName(line);
    const audio = join(outDir, `${name}${extension}`);
    if (!(await missing(audio))) continue;
    items.push({ customId: name, request: { ...item.options, text: item.text }, output: { audio, ...(wavRate ? { wavSampleRateHertz: wavRate } : {}) } });
  }
  return { items, inThisShard };
}

/** An unfinished batch in the work directory that will write every one of `items`' files. */
function coveringRecord(records: JobRecord[], items: BatchJobItem[]): JobRecord | undefined {
  const wanted = items.map((item) => resolve(item.output.audio));
  return records
    .filter((record) => record.kind === 'batch' && record.name && record.state === 'running')
    .reverse()
    .find((record) => {
      const outputs = new Set((record.items ?? []).map((item) => item.audio));
      return wanted.every((path) => outputs.has(path));
    });
}

export async function runSayBatchServer(flags: SayFlags): Promise<void> {
  if (flags.output !== undefined || flags.subtitles !== undefined || flags.play || flags.file !== undefined) {
    throw new ValidationError('--batch takes its text from the batch file and writes into --out-dir; drop text arguments, -f, -o, --play and --subtitles.');
  }
  const { resolveOutputFormat } = await import('../../audio/formats.js');
  const format = resolveOutputFormat({ encoding: flags.encoding });
  const plan = await planAudioOutput({ ...flags, output: `batch${format.extension}` }, { stdoutIsTTY: false });
  const { text: _text, ...defaults } = toSynthesisOptions('', flags, plan);
  const [{ prepareBatch }, { validateSynthesisOptions, synthesisWarnings }, jobs, { defaultJobsDir, JobRecordStore }] = await Promise.all([
    import('./batch.js'),
    import('../../tts/options.js'),
    import('../../tts/jobs/batch-job.js'),
    import('../../tts/jobs/records.js'),
  ]);
  const warnings = new Set<string>();
  const check = (options: typeof defaults) => {
    validateSynthesisOptions({ ...options, text: 'x' });
    for (const warning of synthesisWarnings(options)) warnings.add(warning.message);
  };
  check(defaults);
  const outDir = flags.outDir ?? '.';
  const total = await prepareBatch({ file: flags.batch!, outDir }, { defaults, check });
  if (total === 0) throw new ValidationError(`Nothing to speak: the batch file ${flags.batch} has no lines`, { hint: 'Put one text, or one JSON object with "text", on each line' });
  const wavRate = format.container === 'wav' ? plan.sampleRateHertz : undefined;
  const { items, inThisShard } = await collectItems(flags.batch!, defaults as ReturnType<typeof toSynthesisOptions>, outDir, format.extension, wavRate, flags);
  for (const message of warnings) warn(message, { quiet: flags.quiet });
  const ui = await createUi({ quiet: flags.quiet });
  if (items.length === 0) {
    ui.info(`Batch: all ${inThisShard} lines already done in ${outDir}`);
    return;
  }
  jobs.batchRequestBody(items); // every item checked before any request
  const defaultDir = defaultJobsDir();
  const workDir = flags.workDir ?? defaultDir;
  const store = new JobRecordStore(workDir);
  const { openContext } = await import('../context.js');
  const context = await openContext(flags);
  const signal = interruptSignal();
  let record: JobRecord | undefined;
  try {
    const onPoll = (_operation: unknown, polls: number) => ui.progress(`Batch job running on the server (${polls} poll${polls === 1 ? '' : 's'})`);
    const earlier = coveringRecord(await store.list(), items);
    let outcomes;
    if (earlier) {
      record = earlier;
      ui.info(`Resuming batch job ${earlier.name} (record ${earlier.id} in ${workDir})`);
      const { finishRecordedJob } = await import('../../tts/jobs/recorded.js');
      outcomes = (await finishRecordedJob(context.client, store, earlier, { signal, onPoll })).items ?? [];
    } else {
      const result = await jobs.synthesizeBatchWithJob(context.client, items, {
        workDir,
        signal,
        uninterruptible: holdInterrupts,
        resubmitUnconfirmed: flags.resubmit,
        onSubmitted: (submitted, resumed) => {
          record = submitted;
          ui.info(`${resumed ? 'Resuming' : 'Submitted'} batch job ${submitted.name} with ${items.length} lines (record ${submitted.id} in ${workDir})`);
        },
        onPoll,
      });
      outcomes = result.items;
    }
    ui.stopProgress();
    const failed = outcomes.filter((o) => o.status === 'failed');
    for (const outcome of failed) note(`inworld: ${outcome.customId} failed: ${outcome.error?.message ?? 'unknown error'}`);
    const written = outcomes.filter((o) => o.status === 'written').length;
    ui.info(`Batch: ${written} written, ${inThisShard - items.length + outcomes.filter((o) => o.status === 'skipped').length} already done, ${failed.length} failed`);
    if (failed.length > 0) throw new InworldError(`${failed.length} of ${items.length} lines failed in the batch job`, { hint: 'Run the same command again to send only the lines still missing' });
  } catch (error) {
    ui.stopProgress();
    if (signal.aborted && record?.name) reportKept(`the batch job ${record.name} goes on on the server; \`${jobsHint(record.id, workDir, defaultDir)}\` downloads it`);
    throw error;
  } finally {
    await context.close();
  }
}
