// `inworld stream`: reads text from stdin (or --file) as it arrives and speaks it sentence by
// sentence over the bidirectional TTS WebSocket. Each sentence is sent, with a flush, the moment
// its end is certain, so its audio starts before the input ends. Input is read only as fast as
// the audio is consumed, so memory stays flat for any length of input.
import { createReadStream } from 'node:fs';
import { Command, Option } from 'commander';
import { APIError, InworldError, UserAbortError, ValidationError } from '../../core/errors.js';
import { AUDIO_ENCODINGS } from '../../audio/formats.js';
import type { FileSink } from '../../audio/file-sink.js';
import type { AudioSink } from '../../audio/sink.js';
import { describeDestination, openAudioOutput, planAudioOutput, type AudioOutputPlan } from './audio-output.js';
import { describeKeptAudio, interruptSignal, reportKept } from '../interrupt.js';
import { addGlobalOptions, nonNegativeInt, positiveInt, type GlobalOptions } from '../options.js';
import { addSynthesisFlags, toSynthesisOptions, type SynthesisFlags } from './synthesis-flags.js';
import type { SpeakerEvent } from '../../tts/ws-speaker.js';
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

async function speak(job: SpeakJob): Promise<void> {
  const { flags, plan, sink, progress, signal } = job;
  const { SentenceSpeaker } = await import('../../tts/ws-speaker.js');
  const { liveSentences, DEFAULT_AMBIGUOUS_FLUSH_MS, DEFAULT_IDLE_FLUSH_MS } = await import('../../tts/live-sentences.js');
  const { isRewindable } = await import('../../audio/sink.js');
  const { Timings } = await import('./timings.js');
  const timings = new Timings();
  const speaker = new SentenceSpeaker(job.pool, job.options, { signal, maxRetries: job.maxRetries });
  const wantWords = flags.subtitles !== undefined;
  const { LiveCaptions } = await import('./live-captions.js');
  const captions = flags.captions ? new LiveCaptions(process.stderr, plan.destination === 'speakers' || plan.play) : undefined;
  const words: Array<{ text: string; start: number; end: number; sentence: number }> = [];
  const { AudioDurationMeter, meteredContainerFor } = await import('../../audio/duration-meter.js');
  const newMeter = () => new AudioDurationMeter(meteredContainerFor(plan.serverEncoding)!, plan.sampleRateHertz);
  // The audio's true length: what the meter measured since the last rewind, after what came before it.
  let meter = newMeter();
  let meterBaseSeconds = 0;
  let audioBytes = 0;
  /** Sink position where the first unfinished sentence's audio starts: the rewind point. */
  let sentenceStartBytes = 0;
  let sentencesDone = 0;
  let lastEndSeconds = 0;
  let firstAudioSeen = false;

  const reader = (async () => {
    const sentences = liveSentences(decodeText(job.input, signal), {
      maxChars: MAX_SENTENCE_CHARS,
      idleFlushMs: flags.idleFlush ?? DEFAULT_IDLE_FLUSH_MS,
      ambiguousFlushMs: flags.maxBufferDelay ?? DEFAULT_AMBIGUOUS_FLUSH_MS,
    });
    try {
      for await (const sentence of sentences) {
        if (signal.aborted) return;
        // Punctuation alone ("...", "—") may yield no audio and so no flushCompleted, which would
        // shift the per-sentence accounting the drop recovery relies on; it is silence anyway.
        if (!/[\p{L}\p{N}]/u.test(sentence)) continue;
        emit(progress, { type: 'sentence', index: speaker.sentenceCount, chars: sentence.length, text: sentence });
        await speaker.push(sentence);
      }
    } catch (error) {
      // Bad input (a refused sentence, broken text) ends the input: what came before it is still
      // spoken to its end. Anything else stops at once.
      if (error instanceof ValidationError && speaker.sentenceCount > 0) speaker.end();
      else speaker.cancel();
      throw error;
    }
    if (speaker.sentenceCount === 0) speaker.cancel();
    else speaker.end();
  })();

  const writer = (async () => {
    for await (const event of speaker as AsyncIterable<SpeakerEvent>) {
      if (signal.aborted) break;
      if (event.type === 'audio') {
        if (event.audio.length > 0) {
          if (!firstAudioSeen) {
            firstAudioSeen = true;
            timings.firstAudio();
            emit(progress, { type: 'first_audio', sentence: event.sentence, ms: Math.round(timings.firstAudioMs ?? 0) });
          }
          audioBytes += event.audio.length;
          meter.push(event.audio);
          captions?.playbackStarted();
          await sink.write(event.audio);
        }
        if (wantWords && event.timestamps?.words) for (const w of event.timestamps.words) words.push({ ...w, sentence: event.sentence });
        if (event.timestamps?.words) captions?.add(event.timestamps.words);
      } else if (event.type === 'sentenceEnd') {
        sentencesDone = event.sentence + 1;
        lastEndSeconds = event.endSeconds;
        sentenceStartBytes = audioBytes;
        emit(progress, { type: 'sentence_done', index: event.sentence, endSeconds: round3(event.endSeconds), bytes: audioBytes });
      } else {
        await handleRestart(event, sentenceStartBytes);
      }
    }
  })().catch((error: unknown) => {
    // The reader may be parked on a pipe that never ends (`tail -f`): stop it.
    (job.input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    throw error;
  });

  async function handleRestart(event: Extract<SpeakerEvent, { type: 'restart' }>, rewindTo: number): Promise<void> {
    while (words.length > 0 && words[words.length - 1]!.sentence >= event.fromSentence) words.pop();
    const reason = event.error.message;
    emit(progress, { type: 'restart', fromSentence: event.fromSentence, attempt: event.attempt, error: reason });
    if (isRewindable(sink)) {
      await sink.truncate(rewindTo);
      audioBytes = rewindTo;
      // The new connection's audio starts a new stream where the last complete sentence ended.
      meter = newMeter();
      meterBaseSeconds = lastEndSeconds;
      if (!progress.json && !progress.quiet) {
        terminal.note(`inworld: connection lost (${reason}); resuming from sentence ${event.fromSentence + 1} on a new connection`);
      }
    } else if (!progress.json) {
      // Audio already played or piped cannot be taken back: say that the sentence starts over.
      terminal.note(`inworld: connection lost (${reason}); restarting sentence ${event.fromSentence + 1} from its beginning on a new connection`);
    }
  }

  const outcome = await Promise.allSettled([reader, writer]);
  const failure = signal.aborted
    ? (signal.reason as unknown) ?? new UserAbortError()
    : firstError(outcome.map((o) => (o.status === 'rejected' ? o.reason : undefined)));
  if (failure !== undefined) {
    captions?.finish(false);
    speaker.cancel();
    // Keep what arrived (a valid, finished file) unless nothing did.
    if (audioBytes > 0) await sink.interrupt();
    else await sink.abort(failure);
    if (signal.aborted) {
      reportKept(describeKeptAudio({ bytes: audioBytes, seconds: meterBaseSeconds + meter.seconds, file: plan.path, destination: describeDestination(plan) }));
    }
    // A refused sentence (markup) is found only when it arrives: what came before it is kept too.
    if ((failure instanceof APIError || failure instanceof ValidationError) && audioBytes > 0) {
      note(progress, `inworld: stopped after ${sentencesDone} complete sentence(s); the audio written so far is kept.`);
    }
    throw failure;
  }
  if (speaker.sentenceCount === 0) {
    await sink.abort(new Error('no input'));
    const { nothingToSpeak } = await import('./text-input.js');
    throw nothingToSpeak(`${flags.file !== undefined ? `the file ${flags.file}` : 'standard input'} has no words`, 'stream');
  }
  if (job.subtitles) {
    const { writeCaptionsFile } = await import('./captions-file.js');
    await writeCaptionsFile(job.subtitles, words);
  }
  const { commitOutputs } = await import('../output-files.js');
  await commitOutputs([job.subtitles], sink);
  captions?.finish(true);
  // Measured from the bytes written, for every encoding (trailing silence and padding included).
  const seconds = meterBaseSeconds + meter.seconds;
  emit(progress, {
    type: 'done',
    sentences: speaker.sentenceCount,
    bytes: audioBytes,
    seconds: round3(seconds),
    destination: describeDestination(plan),
    path: plan.path ?? null,
    encoding: plan.format.encoding,
    sampleRateHertz: plan.sampleRateHertz,
    firstAudioMs: timings.firstAudioMs === undefined ? null : Math.round(timings.firstAudioMs),
  });
  if (flags.timings) terminal.note(timings.summary(seconds));
  if (!progress.quiet && !progress.json && plan.destination === 'file') {
    const count = `${speaker.sentenceCount} sentence${speaker.sentenceCount === 1 ? '' : 's'}`;
    terminal.note(`Wrote ${describeDestination(plan)} (${count}, ${seconds.toFixed(1)} s of audio)`);
  }
}

/** The input as UTF-8 text, piece by piece; stops when interrupted, refuses binary or broken text. */
async function* decodeText(input: NodeJS.ReadableStream, signal: AbortSignal): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    if (signal.aborted) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.includes(0)) throw inputError('looks binary (it contains NUL bytes); give plain UTF-8 text');
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw inputError('is not valid UTF-8 text; convert it first (e.g. iconv -t UTF-8)');
    }
    if (first && text.length > 0) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    yield text;
  }
  try {
    yield decoder.decode();
  } catch {
    throw inputError('ends in the middle of a UTF-8 character');
  }
}

function inputError(problem: string): ValidationError {
  return new ValidationError(`The input ${problem}.`);
}

/** The error that explains the failure: an API or input error before a consequence of cancelling. */
function firstError(errors: unknown[]): unknown {
  const present = errors.filter((e) => e !== undefined);
  return present.find((e) => e instanceof InworldError && !(e instanceof UserAbortError)) ?? present[0];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
