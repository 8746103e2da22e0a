// `inworld jobs list|show|wait|download`: server-side jobs by the records `say --server` (and
// `book --server`) keep in their work directory, so a job outlives the command that submitted
// it. A job is named by its record id, its operation name, or the name's last segment.
import { Argument, Command, Option } from 'commander';
import { ValidationError } from '../../core/errors.js';
import type { JobRecord, JobRecordStore } from '../../tts/jobs/records.js';
import { interruptSignal, reportKept } from '../interrupt.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';
import { createUi, note } from '../ui.js';

interface JobsFlags extends GlobalOptions {
  workDir?: string;
  json?: boolean;
}

function addJobOptions(command: Command, json: string): Command {
  command.addOption(new Option('--work-dir <dir>', 'the directory of job records (default $XDG_STATE_HOME/inworld/jobs)')).addOption(new Option('--json', json));
  return addGlobalOptions(command);
}

async function openStore(flags: JobsFlags): Promise<JobRecordStore> {
  const { defaultJobsDir, JobRecordStore } = await import('../../tts/jobs/records.js');
  return new JobRecordStore(flags.workDir ?? defaultJobsDir());
}

async function findRecord(store: JobRecordStore, ref: string): Promise<JobRecord> {
  const record = await store.find(ref);
  if (!record) throw new ValidationError(`No job "${ref}" in ${store.dir}`, { hint: 'See `inworld jobs list` (and pass the --work-dir the job was submitted with)' });
  return record;
}

function outputsOf(record: JobRecord): string {
  if (record.kind === 'batch') return `${record.items?.length ?? 0} files`;
  return record.output?.audio ?? '';
}

function listCommand(): Command {
  const command = new Command('list').description('list the jobs recorded in the work directory');
  addJobOptions(command, 'print one JSON object per job');
  return command.action(async (flags: JobsFlags) => {
    const store = await openStore(flags);
    const records = await store.list();
    if (flags.json) {
      for (const record of records) process.stdout.write(`${JSON.stringify(record)}\n`);
      return;
    }
    if (records.length === 0) {
      note(`No jobs recorded in ${store.dir}.`, flags);
      return;
    }
    const { renderTable } = await import('../table.js');
    process.stdout.write(
      renderTable(records, [
        { header: 'ID', value: (r) => r.id },
        { header: 'KIND', value: (r) => r.kind },
        { header: 'STATE', value: (r) => r.state },
        { header: 'CHARS', value: (r) => String(r.summary.characters) },
        { header: 'OUTPUT', value: outputsOf },
        { header: 'NAME', value: (r) => r.name ?? '(not named: submission cut off)' },
      ]),
    );
  });
}

function showCommand(): Command {
  const command = new Command('show').description("show a job's record and, when it has a name, its state on the server").addArgument(new Argument('<job>', 'record id or operation name'));
  addJobOptions(command, 'print the record and the operation as one JSON object');
  return command.action(async (ref: string, flags: JobsFlags) => {
    const store = await openStore(flags);
    const record = await findRecord(store, ref);
    let operation: Record<string, unknown> | undefined;
    if (record.name) {
      const [{ openContext }, { getOperation }] = await Promise.all([import('../context.js'), import('../../tts/jobs/operations.js')]);
      const context = await openContext(flags);
      try {
        const read = await getOperation(context.client, record.name, { signal: interruptSignal() });
        operation = { done: read.done, ...(read.error ? { error: read.error.serverMessage } : {}), ...(read.metadata ? { metadata: read.metadata } : {}) };
      } finally {
        await context.close();
      }
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ record, operation: operation ?? null })}\n`);
      return;
    }
    const lines = [
      `Job ${record.id} (${record.kind}), ${record.state}`,
      `  name: ${record.name ?? '(none: the submission was cut off before the service named it)'}`,
      `  submitted: ${record.createdAt} to ${record.baseUrl ?? '?'}`,
      `  text: ${record.summary.characters} characters${record.summary.items ? ` in ${record.summary.items} items` : ''}`,
      `  output: ${outputsOf(record)}`,
    ];
    if (operation) lines.push(`  on the server: ${operation.done ? (operation.error ? `failed: ${String(operation.error)}` : 'done') : 'running'}`);
    if (record.error) lines.push(`  error: ${record.error.message}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

/** `wait` and `download` are one action: wait until done, then download to the recorded outputs. */
function finishCommand(name: 'wait' | 'download', description: string): Command {
  const command = new Command(name).description(description).addArgument(new Argument('<job>', 'record id or operation name'));
  addJobOptions(command, 'print one JSON summary when done');
  return command.action(async (ref: string, flags: JobsFlags) => {
    const store = await openStore(flags);
    const record = await findRecord(store, ref);
    const [{ openContext }, { finishRecordedJob }] = await Promise.all([import('../context.js'), import('../../tts/jobs/recorded.js')]);
    const context = await openContext(flags);
    const ui = await createUi({ quiet: flags.quiet || flags.json });
    const signal = interruptSignal();
    try {
      const finished = await finishRecordedJob(context.client, store, record, {
        signal,
        onPoll: (_operation, polls) => ui.progress(`Job ${record.id} running on the server (${polls} poll${polls === 1 ? '' : 's'})`),
      });
      ui.stopProgress();
      const failed = finished.items?.filter((item) => item.status === 'failed') ?? [];
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ type: 'done', id: record.id, name: record.name, state: record.state, bytes: finished.audioBytes ?? null, items: finished.items?.map(({ error, ...rest }) => ({ ...rest, ...(error ? { error: error.message } : {}) })) ?? null })}\n`);
      } else if (record.kind === 'batch') {
        ui.info(`Job ${record.id}: ${finished.items?.filter((i) => i.status === 'written').length ?? 0} files written, ${failed.length} failed`);
      } else {
        ui.info(`Job ${record.id}: wrote ${record.output?.audio} (${finished.audioBytes} bytes)`);
      }
      if (failed.length > 0) throw new ValidationError(`${failed.length} items of job ${record.id} failed: ${failed.map((f) => f.customId).join(', ')}`);
    } catch (error) {
      ui.stopProgress();
      if (signal.aborted) reportKept(`the job ${record.name ?? record.id} goes on on the server; run the same command again`);
      throw error;
    } finally {
      await context.close();
    }
  });
}

export function jobsCommand(): Command {
  return new Command('jobs')
    .description('list, inspect, wait for and download server-side synthesis jobs (say --server)')
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(finishCommand('wait', 'wait for a job to finish on the server, then download its files'))
    .addCommand(finishCommand('download', "download a finished job's files again, with fresh signed URLs"))
    .addHelpText(
      'after',
      `
Jobs are recorded in the work directory before they are submitted, so a job started by
\`say --server\` survives Ctrl-C, a crash or kill -9 of that command.

Examples:
  $ inworld say -f chapter.txt -o chapter.mp3 --server
  $ inworld jobs list
  $ inworld jobs wait 2026-12-03-1a2b3c4d
  $ inworld jobs download 2026-12-03-1a2b3c4d --work-dir book.work`,
    );
}
