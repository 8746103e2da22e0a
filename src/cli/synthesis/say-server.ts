// `inworld say --server`: one long text (up to 100,000 characters) through one server-side async
// job into the -o file, with --subtitles made from the job's timestamps. The job's name is kept
// in the work directory (--work-dir, default $XDG_STATE_HOME/inworld/jobs) before the request
// leaves, so Ctrl-C, a crash or kill -9 never loses it: `inworld jobs wait` finishes the job, and
// running the same command again picks it up instead of submitting a second one.
import { basename, join } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { holdInterrupts, interruptSignal, reportKept } from '../interrupt.js';
import { createUi, note, warn } from '../ui.js';
import { planAudioOutput } from './audio-output.js';
import type { SayFlags } from './say.js';
import { toSynthesisOptions } from './synthesis-flags.js';
import { readText } from './text-input.js';

/** What --server cannot do: it writes one finished file, never a stream. */
function checkServerFlags(flags: SayFlags): void {
  if (flags.play || flags.captions) throw new ValidationError('--server writes a file once the job is done; drop --play and --captions (or drop --server to hear it as it is made).');
  if (flags.output === undefined || flags.output === '-') throw new ValidationError('--server writes a file: pass -o <file> (standard output and the speakers need the streaming path).');
  if (flags.subtitles && flags.timestamps === 'character') throw new ValidationError('--subtitles needs word timestamps; drop --timestamps character.');
}

/** The job commands' hint for a job left running. */
export function jobsHint(ref: string, workDir: string, defaultDir: string): string {
  const dirFlag = workDir === defaultDir ? '' : ` --work-dir ${workDir}`;
  return `inworld jobs wait ${ref}${dirFlag}`;
}

export async function runSayServer(words: string[], flags: SayFlags): Promise<void> {
  checkServerFlags(flags);
  const text = await readText({ words, file: flags.file, stdin: process.stdin });
  const plan = await planAudioOutput(flags, { stdoutIsTTY: process.stdout.isTTY === true });
  const options = toSynthesisOptions(text, flags, plan);
  if (flags.subtitles) options.timestampType = 'WORD';
  const [{ synthesizeWithJob, jobRequestBody }, { defaultJobsDir }, { synthesisWarnings }] = await Promise.all([
    import('../../tts/jobs/async-job.js'),
    import('../../tts/jobs/records.js'),
    import('../../tts/options.js'),
  ]);
  jobRequestBody(options); // every check, the job's text limit included, before any request
  for (const warning of synthesisWarnings(options)) warn(warning.message, { quiet: flags.quiet });
  const defaultDir = defaultJobsDir();
  const workDir = flags.workDir ?? defaultDir;
  const audio = plan.path!;
  const timestamps = flags.subtitles ? join(workDir, `${basename(audio)}.timestamps.json`) : undefined;

  const { openContext } = await import('../context.js');
  const context = await openContext(flags);
  const ui = await createUi({ quiet: flags.quiet });
  const signal = interruptSignal();
  let name: string | undefined;
  let ref: string | undefined;
  try {
    if (options.pronunciationDictionaries) {
      const { resolvePronunciationDictionaries } = await import('../pronunciations/dictionary-flag.js');
      await resolvePronunciationDictionaries(context.client, options, signal);
    }
    const result = await synthesizeWithJob(context.client, options, {
      workDir,
      output: { audio, ...(timestamps ? { timestamps } : {}), ...(plan.format.container === 'wav' ? { wavSampleRateHertz: plan.sampleRateHertz } : {}) },
      signal,
      uninterruptible: holdInterrupts,
      resubmitUnconfirmed: flags.resubmit,
      onSubmitted: (record, resumed) => {
        name = record.name;
        ref = record.id;
        ui.info(`${resumed ? 'Resuming' : 'Submitted'} job ${record.name} (record ${record.id} in ${workDir})`);
      },
      onPoll: (_operation, polls) => ui.progress(`Job running on the server (${polls} poll${polls === 1 ? '' : 's'})`),
    });
    ui.stopProgress();
    if (flags.subtitles) {
      const [{ renderCaptions, captionFormatForPath }, { writeFileAtomically }] = await Promise.all([import('../../audio/captions.js'), import('../../core/atomic-file.js')]);
      const cues = (result.timestamps?.words ?? []).map((word) => ({ word: word.text, start: word.start, end: word.end }));
      await writeFileAtomically(flags.subtitles, renderCaptions(captionFormatForPath(flags.subtitles) ?? 'srt', cues), { usageErrors: 'none' });
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ type: 'done', job: result.name, record: result.record.id, path: audio, bytes: result.audioBytes, resumed: result.resumed, subtitles: flags.subtitles ?? null })}\n`);
    } else {
      ui.info(`Wrote ${audio} (${result.audioBytes} bytes) from job ${result.name}`);
    }
  } catch (error) {
    ui.stopProgress();
    if (signal.aborted && name) reportKept(`the job ${name} goes on on the server; \`${jobsHint(ref!, workDir, defaultDir)}\` downloads it`);
    else if (name && !signal.aborted) note(`inworld: the job is recorded as ${ref} in ${workDir}; \`${jobsHint(ref!, workDir, defaultDir)}\` tries again`, { quiet: flags.quiet });
    throw error;
  } finally {
    ui.stopProgress();
    await context.close();
  }
}
