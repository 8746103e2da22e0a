// `inworld stream`: reads text from stdin (or --file) as it arrives and speaks it sentence by
// sentence over the bidirectional TTS WebSocket. Each sentence is sent, with a flush, the moment
// its end is certain, so its audio starts before the input ends. Input is read only as fast as
// the audio is consumed, so memory stays flat for any length of input.
import { createReadStream } from 'node:fs';
import { Command, Option } from 'commander';
import { APIError, InworldError, UserAbortError, ValidationError } from '../../core/errors.js';
import { AUDIO_ENCODINGS } from '../../audio/formats.js';
import type { FileSink } from '../../audio/file-sink.js';
import type { AudioSink, RewindableSink } from '../../audio/sink.js';
import { describeDestination, openAudioOutput, planAudioOutput, type AudioOutputPlan } from './audio-output.js';
import { describeKeptAudio, interruptSignal, reportKept } from '../interrupt.js';
import { addGlobalOptions, nonNegativeInt, positiveInt, type GlobalOptions } from '../options.js';
import { addSynthesisFlags, toSynthesisOptions, type SynthesisFlags } from './synthesis-flags.js';
import type { ResumableSpeech, SpeechEvent } from '../../tts/resumable-speech.js';
import type { Timings } from './timings.js';
import type { LiveCaptions } from './live-captions.js';
import type { TtsStreamSynthesisOptions } from '../../tts/ws-options.js';
import { TTS_WS_ENCODINGS } from '../../tts/options.js';
import * as terminal from '../ui.js';

/** The WebSocket offers every encoding but FLAC. */
const STREAM_ENCODINGS = AUDIO_ENCODINGS.filter((encoding) => encoding !== 'FLAC');
/** The segmenter cuts a sentence longer than this at a word boundary: one send_text, one generation. */
const MAX_SENTENCE_CHARS = 1000;

export interface StreamFlags extends SynthesisFlags, GlobalOptions {
  file?: string;
  bufferChars?: number;
  maxBufferDelay?: number;
  idleFlush?: number;
  json?: boolean;
  timings?: boolean;
  captions?: boolean;
}

export function streamCommand(): Command {
  const command = new Command('stream')
    .description('speak text from standard input (or a file) sentence by sentence as it arrives, over the TTS WebSocket')
    .addOption(new Option('-f, --file <path>', 'read the text from a file instead of standard input'))
    .addOption(new Option('--buffer-chars <n>', 'server-side buffer size that starts generation without a flush, 1..2000').argParser(positiveInt('--buffer-chars')))
    .addOption(
      new Option('--idle-flush <ms>', 'speak a finished sentence after this long without new input (default 50)').argParser(nonNegativeInt('--idle-flush')),
    )
    .addOption(
      new Option('--max-buffer-delay <ms>', 'longest wait for an ambiguous sentence end such as Dr. here (default 3000), and for unflushed text on the server')
        .argParser(nonNegativeInt('--max-buffer-delay')),
    )
    .addOption(new Option('--json', 'print progress events as JSON lines on stderr (sentence, first_audio, sentence_done, restart, done)'))
    .addOption(new Option('--timings', 'print time to first audio, total time and real-time factor on stderr'))
    .addOption(new Option('--captions', 'print the words on stderr as they are spoken'));
  addSynthesisFlags(command, { encodings: STREAM_ENCODINGS });
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Each sentence is sent the moment its end is certain: the next word has begun, or a line break
follows it. When the input pauses right after a sentence ("Hello. " and then nothing), it is sent
after --idle-flush ms without new input; an ambiguous end (an abbreviation such as "Dr." or "e.g.",
a number such as "3." that may go on as "3.14", a line without punctuation) waits up to
--max-buffer-delay ms instead. --max-buffer-delay is also sent to the server as max_buffer_delay_ms,
the longest it holds text that came without a flush (this command flushes every sentence).

Each sentence is one request for the markup limits (at most 20 <break time="…"/> pauses of at most
10 s, no SSML <phoneme>: write IPA inline as /kriːt/). A sentence that breaks them is refused when
it arrives: the sentences before it are still spoken, then the command exits with status 2.

Examples:
  $ llm-tool "tell me a story" | inworld stream            # hear each sentence as it is written
  $ cat book.txt | inworld stream -o book.mp3 --subtitles book.srt
  $ tail -f events.log | inworld stream --voice Dennis
  $ llm-tool "narrate" | inworld stream --voice-design "a bright young woman, quick and cheerful"
  $ inworld stream -f script.txt -o - | aplay
  $ echo "Offline test." | inworld stream -o test.wav --emulator`,
    )
    .action(async (flags: StreamFlags, self: Command) => {
      const { applyConfigDefaults } = await import('../setup/config-defaults.js');
      await runStream(applyConfigDefaults(flags, self));
    });
}

interface Progress {
  json: boolean;
  quiet: boolean;
}

function emit(progress: Progress, event: Record<string, unknown>): void {
  if (progress.json) terminal.jsonEvent(event);
}

/** A note is a line for a human, or under --json a `note` event. */
function note(progress: Progress, text: string): void {
  if (progress.json) emit(progress, { type: 'note', message: text });
  else terminal.note(text, progress);
}

async function runStream(flags: StreamFlags): Promise<void> {
  if ((flags.subtitles || flags.captions) && flags.timestamps === 'character') {
    throw new ValidationError(`${flags.subtitles ? '--subtitles' : '--captions'} needs word timestamps; drop --timestamps character.`);
  }
  if (flags.captions) flags.timestamps = 'word';
  if (flags.encoding === 'FLAC' || /\.flac$/i.test(flags.output ?? '')) {
    throw new ValidationError('FLAC is not available over the WebSocket', { hint: 'Use .wav, .mp3 or .ogg, or `inworld say` for FLAC' });
  }
  const plan = await planAudioOutput(flags, { stdoutIsTTY: process.stdout.isTTY === true, allowedEncodings: TTS_WS_ENCODINGS });
  const { text: _unused, ...synthesis } = toSynthesisOptions('', flags, plan);
  const options: TtsStreamSynthesisOptions = { ...synthesis };
  if (flags.bufferChars !== undefined) options.bufferCharThreshold = flags.bufferChars;
  if (flags.maxBufferDelay !== undefined) options.maxBufferDelayMs = flags.maxBufferDelay;
  const [{ buildWsCreateConfig }, { synthesisWarnings }] = await Promise.all([import('../../tts/ws-options.js'), import('../../tts/options.js')]);
  buildWsCreateConfig(options); // validation, exit 2 before any connection
  if (flags.file !== undefined) await checkReadable(flags.file);
  const input: NodeJS.ReadableStream & { isTTY?: boolean } = flags.file !== undefined ? createReadStream(flags.file) : process.stdin;
  const progress: Progress = { json: flags.json === true, quiet: flags.quiet === true };
  for (const warning of synthesisWarnings(options)) {
    if (progress.json) emit(progress, { type: 'warning', code: warning.code, message: warning.message });
    else terminal.warn(warning.message, progress);
  }
  if (flags.file === undefined && process.stdin.isTTY) note(progress, 'Reading text from the terminal; each sentence is spoken when you finish it. End with Ctrl-D.');

  const { openContext } = await import('../context.js');
  const context = await openContext(flags);
  const signal = interruptSignal();
  const { TtsPool } = await import('../../tts/pool.js');
  const pool = new TtsPool(context.client);
  const { openWithSideOutput } = await import('../output-files.js');
  let subtitles: FileSink | undefined;
  try {
    if (options.pronunciationDictionaries) {
      const { resolvePronunciationDictionaries } = await import('../pronunciations/dictionary-flag.js');
      await resolvePronunciationDictionaries(context.client, options, signal);
    }
    // The subtitles file is checked (and reserved) with the audio file, before the first request.
    const { main: sink, side } = await openWithSideOutput(flags.subtitles, () => openAudioOutput(plan));
    subtitles = side;
    await speak({ flags, plan, options, input, sink, subtitles, pool, signal, progress, maxRetries: context.client.maxRetries });
  } catch (error) {
    if (signal.aborted) throw error;
    const { withVoiceSuggestion } = await import('../voices/voice-suggest.js');
    throw await withVoiceSuggestion(error, context.client, options.voiceId ?? flags.voice);
  } finally {
    await subtitles?.abort();
    await pool.close();
    await context.close();
  }
}

async function checkReadable(path: string): Promise<void> {
  const { assertReadableFile } = await import('../../core/file-errors.js');
  await assertReadableFile(path);
}

interface SpeakJob {
  flags: StreamFlags;
  plan: AudioOutputPlan;
  options: TtsStreamSynthesisOptions;
  input: NodeJS.ReadableStream;
  sink: AudioSink;
  subtitles?: FileSink;
  pool: import('../../tts/pool.js').TtsPool;
  signal: AbortSignal;
  progress: Progress;
  maxRetries: number;
}

/** One run's speech and what follows it: first-audio timing, live captions, the sink if it can rewind. */
interface Run {
  speech: ResumableSpeech;
  timings: Timings;
  captions: LiveCaptions | undefined;
  rewindable: RewindableSink | undefined;
}

/**
 * Speaks the input into the sink: sentences go to the library's resumable speech as they are
 * read, its audio to the sink as it arrives. A dropped connection rewinds the output (or, when
 * the audio cannot be taken back, restarts the sentence); this loop only does what it is told.
 */
async function speak(job: SpeakJob): Promise<void> {
  const { flags, plan, sink, signal } = job;
  const { ResumableSpeech } = await import('../../tts/resumable-speech.js');
  const { liveSentences, DEFAULT_AMBIGUOUS_FLUSH_MS, DEFAULT_IDLE_FLUSH_MS } = await import('../../tts/live-sentences.js');
  const { isRewindable } = await import('../../audio/sink.js');
  const { Timings } = await import('./timings.js');
  const { LiveCaptions } = await import('./live-captions.js');
  const timings = new Timings();
  const rewindable = isRewindable(sink) ? sink : undefined;
  const speech = new ResumableSpeech(job.pool, job.options, {
    signal,
    maxRetries: job.maxRetries,
    rewind: rewindable !== undefined,
    keepWords: flags.subtitles !== undefined,
  });
  const captions = flags.captions ? new LiveCaptions(process.stderr, plan.destination === 'speakers' || plan.play) : undefined;
  const run: Run = { speech, timings, captions, rewindable };
  const { decodeTextPieces } = await import('./text-input.js');
  const sentences = liveSentences(decodeTextPieces(job.input, signal), {
    maxChars: MAX_SENTENCE_CHARS,
    idleFlushMs: flags.idleFlush ?? DEFAULT_IDLE_FLUSH_MS,
    ambiguousFlushMs: flags.maxBufferDelay ?? DEFAULT_AMBIGUOUS_FLUSH_MS,
  });
  const reader = speech.speakAll(sentences, (index, text) => emit(job.progress, { type: 'sentence', index, chars: text.length, text }));
  const writer = writeAudio(job, run).catch((error: unknown) => {
    // The reader may be parked on a pipe that never ends (`tail -f`): stop it.
    (job.input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    throw error;
  });
  const outcome = await Promise.allSettled([reader, writer]);
  const failure = signal.aborted
    ? (signal.reason as unknown) ?? new UserAbortError()
    : firstError(outcome.map((o) => (o.status === 'rejected' ? o.reason : undefined)));
  if (failure !== undefined) {
    await stopEarly(job, run, failure);
    throw failure;
  }
  await finish(job, run);
}

/** Copies the speech's audio into the sink, reporting progress and following its rewinds. */
async function writeAudio(job: SpeakJob, run: Run): Promise<void> {
  const { speech, timings, captions } = run;
  const { sink, progress, signal } = job;
  let firstAudioSeen = false;
  for await (const event of speech) {
    if (signal.aborted) break;
    if (event.type === 'audio') {
      if (event.audio.length > 0) {
        if (!firstAudioSeen) {
          firstAudioSeen = true;
          timings.firstAudio();
          emit(progress, { type: 'first_audio', sentence: event.sentence, ms: Math.round(timings.firstAudioMs ?? 0) });
        }
        captions?.playbackStarted();
        await sink.write(event.audio);
      }
      if (event.timestamps?.words) captions?.add(event.timestamps.words);
    } else if (event.type === 'sentenceEnd') {
      emit(progress, { type: 'sentence_done', index: event.sentence, endSeconds: round3(event.endSeconds), bytes: event.bytes });
    } else {
      await restart(job, run, event);
    }
  }
}

/** A dropped connection: the sink goes back to where the sentence began, or the listener is told it starts over. */
async function restart({ progress }: SpeakJob, { rewindable }: Run, event: Extract<SpeechEvent, { type: 'restart' }>): Promise<void> {
  const reason = event.error.message;
  emit(progress, { type: 'restart', fromSentence: event.fromSentence, attempt: event.attempt, error: reason });
  if (rewindable) {
    await rewindable.truncate(event.rewindToBytes);
    if (!progress.json && !progress.quiet) {
      terminal.note(`inworld: connection lost (${reason}); resuming from sentence ${event.fromSentence + 1} on a new connection`);
    }
  } else if (!progress.json) {
    // Audio already played or piped cannot be taken back: say that the sentence starts over.
    terminal.note(`inworld: connection lost (${reason}); restarting sentence ${event.fromSentence + 1} from its beginning on a new connection`);
  }
}

/** A failure or an interrupt: keep what arrived (a valid, finished file) unless nothing did, and say so. */
async function stopEarly(job: SpeakJob, { speech, captions }: Run, failure: unknown): Promise<void> {
  const { plan, sink, progress, signal } = job;
  captions?.finish(false);
  speech.cancel();
  if (speech.bytes > 0) await sink.interrupt();
  else await sink.abort(failure);
  if (signal.aborted) {
    reportKept(describeKeptAudio({ bytes: speech.bytes, seconds: speech.seconds, file: plan.path, destination: describeDestination(plan) }));
  }
  // A refused sentence (markup) is found only when it arrives: what came before it is kept too.
  if ((failure instanceof APIError || failure instanceof ValidationError) && speech.bytes > 0) {
    note(progress, `inworld: stopped after ${speech.sentencesDone} complete sentence(s); the audio written so far is kept.`);
  }
}

/** Everything spoken: the outputs are committed together, then the summary. */
async function finish(job: SpeakJob, { speech, timings, captions }: Run): Promise<void> {
  const { flags, plan, sink, progress } = job;
  if (speech.sentenceCount === 0) {
    await sink.abort(new Error('no input'));
    const { nothingToSpeak } = await import('./text-input.js');
    throw nothingToSpeak(`${flags.file !== undefined ? `the file ${flags.file}` : 'standard input'} has no words`, 'stream');
  }
  if (job.subtitles) {
    const { writeCaptionsFile } = await import('./captions-file.js');
    await writeCaptionsFile(job.subtitles, speech.words);
  }
  const { commitOutputs } = await import('../output-files.js');
  await commitOutputs([job.subtitles], sink);
  captions?.finish(true);
  // Measured from the bytes written, for every encoding (trailing silence and padding included).
  const seconds = speech.seconds;
  emit(progress, {
    type: 'done',
    sentences: speech.sentenceCount,
    bytes: speech.bytes,
    seconds: round3(seconds),
    destination: describeDestination(plan),
    path: plan.path ?? null,
    encoding: plan.format.encoding,
    sampleRateHertz: plan.sampleRateHertz,
    firstAudioMs: timings.firstAudioMs === undefined ? null : Math.round(timings.firstAudioMs),
  });
  if (flags.timings) terminal.note(timings.summary(seconds));
  if (!progress.quiet && !progress.json && plan.destination === 'file') {
    const count = `${speech.sentenceCount} sentence${speech.sentenceCount === 1 ? '' : 's'}`;
    terminal.note(`Wrote ${describeDestination(plan)} (${count}, ${seconds.toFixed(1)} s of audio)`);
  }
}

/** The error that explains the failure: an API or input error before a consequence of cancelling. */
function firstError(errors: unknown[]): unknown {
  const present = errors.filter((e) => e !== undefined);
  return present.find((e) => e instanceof InworldError && !(e instanceof UserAbortError)) ?? present[0];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
