// `inworld say`: synthesizes text over HTTP streaming into a file, standard output or the speakers.
import { Argument, Command, Option } from 'commander';
import { InworldError, ValidationError } from '../../core/errors.js';
import { addBatchOptions, type BatchFlags } from './batch-options.js';
import { addServerOptions, type ServerFlags } from './server-options.js';
import { applyConfigDefaults } from '../setup/config-defaults.js';
import { describeDestination, openAudioOutput, planAudioOutput, type AudioOutputPlan } from './audio-output.js';
import { describeKeptAudio, interruptSignal, reportKept } from '../interrupt.js';
import { addGlobalOptions, type GlobalOptions } from '../options.js';
import { addSynthesisFlags, toSynthesisOptions, type SynthesisFlags } from './synthesis-flags.js';
import { readText } from './text-input.js';
import { LiveCaptions } from './live-captions.js';
import { Timings } from './timings.js';
import { createUi, note, warn } from '../ui.js';

export interface SayFlags extends SynthesisFlags, GlobalOptions, BatchFlags, ServerFlags {
  file?: string;
  timings?: boolean;
  captions?: boolean;
  json?: boolean;
}

export function sayCommand(): Command {
  const command = new Command('say')
    .description('synthesize text to speech (HTTP streaming) into a file, standard output or the speakers')
    .addArgument(new Argument('[text...]', 'text to speak; - or nothing reads standard input'))
    .addOption(new Option('-f, --file <path>', 'read the text from a file'))
    .addOption(new Option('--timings', 'print time to first audio, total time and real-time factor on stderr'))
    .addOption(new Option('--captions', 'print the words on stderr as they are spoken'))
    .addOption(new Option('--json', 'print one summary object on stdout when done (not with audio on stdout)'));
  addSynthesisFlags(command);
  addBatchOptions(command);
  addServerOptions(command);
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld say "Hello from Inworld" -o hello.wav
  $ inworld say "Hello" --voice Dennis --speaking-rate 1.2      # plays on the speakers
  $ inworld say "Welcome aboard." --voice-design "a calm older man with a low, warm voice" --seed 7 -o welcome.mp3
  $ inworld say "Quick reply." --model inworld-tts-2-flash -o reply.wav
  $ inworld say -f chapter.txt -o chapter.mp3 --subtitles chapter.srt
  $ echo "Piped text" | inworld say -o - | aplay
  $ inworld say --batch lines.txt --out-dir clips --encoding MP3 --concurrency 20
  $ inworld say -f chapter.txt -o chapter.mp3 --server          # one server-side job
  $ inworld say --batch lines.txt --out-dir clips --shard 2/4   # this machine's quarter
  $ inworld say "Offline test" -o test.wav --emulator`,
    )
    .action(async (words: string[], flags: SayFlags, command: Command) => {
      await runSay(words, applyConfigDefaults(flags, command));
    });
}

export async function runSay(words: string[], flags: SayFlags): Promise<void> {
  if (flags.batch !== undefined && flags.json) {
    throw new ValidationError('--json is not available with --batch; the batch prints its own summary on stderr.');
  }
  if (flags.shard !== undefined && flags.batch === undefined) throw new ValidationError('--shard splits a --batch file; add --batch <file> or drop --shard.');
  if (flags.batch === undefined && (flags.workDir !== undefined || flags.resubmit) && !flags.server) {
    throw new ValidationError('--work-dir and --resubmit keep server-side job records; add --server or drop them.');
  }
  if (flags.batch !== undefined) return runSayBatch(words, flags);
  if (flags.server) return (await import('./say-server.js')).runSayServer(words, flags);
  const { plan, options, openContext, synthesizeStream } = await prepareSay(words, flags);
  const context = await openContext(flags);
  const signal = interruptSignal();
  const timings = new Timings();
  const ui = await createUi({ quiet: flags.quiet || flags.json });
  const { AudioDurationMeter, meteredContainerFor } = await import('../../audio/duration-meter.js');
  const { isRewindable } = await import('../../audio/sink.js');
  let meter: InstanceType<typeof AudioDurationMeter> | undefined;
  const requestIds: string[] = [];
  const plays = plan.destination === 'speakers' || plan.play;
  const captions = flags.captions ? new LiveCaptions(process.stderr, plays) : undefined;
  const { commitOutputs, openWithSideOutput } = await import('../output-files.js');
  let subtitles: import('../../audio/file-sink.js').FileSink | undefined;
  try {
    if (options.pronunciationDictionaries) {
      const { resolvePronunciationDictionaries } = await import('../pronunciations/dictionary-flag.js');
      await resolvePronunciationDictionaries(context.client, options, signal);
    }
    // The subtitles file is checked (and reserved) with the audio file, before the request.
    const { main: sink, side } = await openWithSideOutput(flags.subtitles, () => openAudioOutput(plan));
    subtitles = side;
    const words: Array<{ text: string; start: number; end: number }> = [];
    let audioBytes = 0;
    try {
      for await (const chunk of synthesizeStream(context.client, options, { signal })) {
        if (chunk.requestId && requestIds.at(-1) !== chunk.requestId) requestIds.push(chunk.requestId);
        if (chunk.format) meter ??= new AudioDurationMeter(chunk.format.container, chunk.format.sampleRateHertz, chunk.format.channels);
        if (chunk.audio && chunk.audio.length > 0) {
          timings.firstAudio();
          // Handed to the sink first: the metering and the progress line can wait for the write.
          const written = sink.write(chunk.audio);
          captions?.playbackStarted();
          audioBytes += chunk.audio.length;
          meter ??= new AudioDurationMeter(meteredContainerFor(plan.serverEncoding)!, plan.sampleRateHertz);
          meter.push(chunk.audio);
          if (!captions) ui.progress(progressText(audioBytes, meter.seconds, timings));
          await written;
          // `inworld say … | head -c 100`: the reader left, so stop synthesizing and end quietly.
          if (sink.readerGone) break;
        }
        // A joined multi-part FLAC's totals, known only now: a file gets them, a pipe keeps "unknown".
        if (chunk.headerPatch && isRewindable(sink)) await sink.overwrite(chunk.headerPatch.offset, chunk.headerPatch.bytes);
        if (chunk.timestamps?.words) {
          words.push(...chunk.timestamps.words);
          captions?.add(chunk.timestamps.words);
        }
      }
    } catch (error) {
      ui.stopProgress();
      captions?.finish(false);
      if (signal.aborted) {
        // Ctrl-C keeps the audio that arrived (nothing arrived: no file).
        await (audioBytes > 0 ? sink.interrupt() : sink.abort(error));
        reportKept(describeKeptAudio({ bytes: audioBytes, seconds: meter?.seconds, file: plan.path, destination: describeDestination(plan) }));
        throw signal.reason;
      }
      await sink.abort(error);
      const { withVoiceSuggestion } = await import('../voices/voice-suggest.js');
      throw await withVoiceSuggestion(error, context.client, flags.voice);
    }
    ui.stopProgress();
    if (subtitles) {
      const { writeCaptionsFile } = await import('./captions-file.js');
      await writeCaptionsFile(subtitles, words);
    }
    await commitOutputs([subtitles], sink);
    captions?.finish(true);
    // Measured from the bytes written, for every encoding (trailing silence and padding included).
    reportSay(flags, plan, { bytes: audioBytes, seconds: meter?.seconds ?? 0, timings, requestIds }, ui);
  } finally {
    await subtitles?.abort();
    await context.close();
  }
}

function progressText(bytes: number, audioSeconds: number, timings: Timings): string {
  return `Synthesizing: ${audioSeconds.toFixed(1)} s of audio, ${(bytes / 1024).toFixed(0)} KiB, ${(timings.elapsedMs() / 1000).toFixed(1)} s`;
}

interface SummaryFacts {
  plan: AudioOutputPlan;
  bytes: number;
  seconds: number;
  timings: Timings;
  requestIds: string[];
  subtitles?: string;
}

/** `say --json`: the same names as `stream --json`'s `done` event, plus what only say knows. */
function sayJsonSummary(facts: SummaryFacts): Record<string, unknown> {
  const { plan, timings } = facts;
  return {
    type: 'done',
    destination: describeDestination(plan),
    path: plan.path ?? null,
    encoding: plan.format.encoding,
    sampleRateHertz: plan.sampleRateHertz,
    bytes: facts.bytes,
    seconds: Math.round(facts.seconds * 1000) / 1000,
    firstAudioMs: timings.firstAudioMs === undefined ? null : Math.round(timings.firstAudioMs),
    totalMs: Math.round(timings.elapsedMs()),
    parts: facts.requestIds.length,
    requestIds: facts.requestIds,
    subtitles: facts.subtitles ?? null,
  };
}

/** `--batch`: one file per line over the WebSocket pool; failed lines are reported, the rest go on. */
/** Everything checked before a request: flags, the text, the output, each part's markup; warnings said. */
async function prepareSay(words: string[], flags: SayFlags) {
  if ((flags.subtitles || flags.captions) && flags.timestamps === 'character') {
    throw new ValidationError(`${flags.subtitles ? '--subtitles' : '--captions'} needs word timestamps; drop --timestamps character.`);
  }
  if (flags.captions) flags.timestamps = 'word';
  // The request's modules load while the text is read: the loader fetches them in parallel
  // instead of one `await import` after another on the way to the first byte.
  const loading = Promise.all([import('../../tts/options.js'), import('../context.js'), import('../../tts/http.js'), import('../../tts/plan.js')]);
  loading.catch(() => {}); // awaited below; this only keeps an early throw from leaving it unhandled
  const text = await readText({ words, file: flags.file, stdin: process.stdin });
  const plan = await planAudioOutput(flags, { stdoutIsTTY: process.stdout.isTTY === true });
  if (flags.json && plan.destination === 'stdout') {
    throw new ValidationError('--json prints its summary on standard output, where the audio goes too; write the audio to a file with -o <path>.');
  }
  const options = toSynthesisOptions(text, flags, plan);
  const [{ synthesisWarnings }, { openContext }, { synthesizeStream }, { planSynthesis }] = await loading;
  planSynthesis(options); // every check, markup of each request's part included, before the first request
  for (const warning of synthesisWarnings(options)) warn(warning.message, { quiet: flags.quiet });
  return { plan, options, openContext, synthesizeStream };
}

/** The summary: timings on request, one JSON object under --json, else the line naming the file. */
function reportSay(
  flags: SayFlags,
  plan: AudioOutputPlan,
  run: { bytes: number; seconds: number; timings: Timings; requestIds: string[] },
  ui: { info(text: string): void },
): void {
  if (flags.timings) note(run.timings.summary(run.seconds));
  if (flags.json) {
    const summary = sayJsonSummary({ plan, bytes: run.bytes, seconds: run.seconds, timings: run.timings, requestIds: run.requestIds, subtitles: flags.subtitles });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else if (plan.destination === 'file') {
    ui.info(`Wrote ${describeDestination(plan)} (${run.seconds.toFixed(1)} s of audio)`);
  }
}

async function runSayBatch(words: string[], flags: SayFlags): Promise<void> {
  if (words.length > 0 || flags.file !== undefined || flags.output !== undefined || flags.subtitles !== undefined || flags.play) {
    throw new ValidationError('--batch takes its text from the batch file and writes into --out-dir; drop text arguments, -f, -o, --play and --subtitles.');
  }
  if (flags.server) return (await import('./batch-server.js')).runSayBatchServer(flags);
  const { resolveOutputFormat } = await import('../../audio/formats.js');
  const format = resolveOutputFormat({ encoding: flags.encoding });
  if (format.serverEncoding === 'FLAC') {
    throw new ValidationError('--batch runs over the WebSocket, which has no FLAC', { hint: 'Choose another --encoding' });
  }
  const plan = await planAudioOutput({ ...flags, output: `batch${format.extension}` }, { stdoutIsTTY: false });
  const { text: _text, ...defaults } = toSynthesisOptions('', flags, plan);
  const [{ prepareBatch, runBatch }, { buildWsCreateConfig }, { synthesisWarnings }] = await Promise.all([
    import('./batch.js'),
    import('../../tts/ws-options.js'),
    import('../../tts/options.js'),
  ]);
  // Each distinct option set is checked once; its warnings are said once for the whole batch.
  const warnings = new Set<string>();
  const check = (options: typeof defaults) => {
    buildWsCreateConfig(options);
    for (const warning of synthesisWarnings(options)) warnings.add(warning.message);
  };
  check(defaults); // the flags themselves, before any line
  const outDir = flags.outDir ?? '.';
  const lines = await prepareBatch({ file: flags.batch!, outDir }, { defaults, check });
  if (lines === 0) {
    throw new ValidationError(`Nothing to speak: the batch file ${flags.batch} has no lines`, { hint: 'Put one text, or one JSON object with "text", on each line' });
  }
  if (flags.shard && (lines ?? 0) < flags.shard.index) {
    throw new ValidationError(`Shard ${flags.shard.index}/${flags.shard.count} has no lines: the batch file has only ${lines}`, { hint: 'Use fewer shards than lines' });
  }
  for (const message of warnings) warn(message, { quiet: flags.quiet });

  const { openContext } = await import('../context.js');
  const context = await openContext(flags);
  const ui = await createUi({ quiet: flags.quiet });
  let done = 0;
  let written = 0;
  const signal = interruptSignal();
  try {
    if (defaults.pronunciationDictionaries) {
      const { resolvePronunciationDictionaries } = await import('../pronunciations/dictionary-flag.js');
      await resolvePronunciationDictionaries(context.client, defaults, signal);
    }
    const summary = await runBatch(context.client, {
      file: flags.batch!,
      outDir,
      defaults,
      extension: format.extension,
      wav: format.container === 'wav',
      concurrency: flags.concurrency,
      shard: flags.shard,
      retries: context.client.maxRetries,
      signal,
      onResult: (result) => {
        done += 1;
        if (result.status === 'written') written += 1;
        // After Ctrl-C the lines cut short are not failures to list: one line says what was kept.
        if (signal.aborted) return;
        if (result.status === 'failed') {
          ui.stopProgress();
          note(`inworld: line ${result.line} failed after ${result.attempts} attempt(s): ${result.error?.message ?? 'unknown error'}`);
        } else {
          ui.progress(`Batch: ${done} lines done (${result.path})`);
        }
      },
    });
    ui.stopProgress();
    ui.info(`Batch: ${summary.written} written, ${summary.skipped} already done, ${summary.failed} failed`);
    if (summary.failed > 0) {
      const { retryCanHelp } = await import('./batch.js');
      const hint = summary.results.some((result) => result.status === 'failed' && retryCanHelp(result.error))
        ? 'Run the same command again to retry only those lines'
        : 'Fix those lines; a re-run skips the files already written';
      throw new InworldError(`${summary.failed} of ${summary.results.length} lines failed`, { hint });
    }
  } catch (error) {
    if (signal.aborted) reportKept(written > 0 ? `kept ${written} finished file${written === 1 ? '' : 's'} in ${outDir}` : 'nothing was written');
    throw error;
  } finally {
    ui.stopProgress();
    await context.close();
  }
}
