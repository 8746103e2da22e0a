// `inworld transcribe`: speech to text from the microphone, a file or standard input, streamed
// over the STT WebSocket (or sent whole over REST with --batch). Finals go to stdout one line per
// turn; interims, voice profiles and notes go to stderr; --json prints every event as NDJSON.
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { BadRequestError, ValidationError } from '../../core/errors.js';
import type { SttEvent } from '../../stt/events.js';
import {
  DEFAULT_END_OF_TURN_THRESHOLD,
  DEFAULT_MAX_CHUNKS_PER_SECOND,
  DEFAULT_MIN_END_OF_TURN_SILENCE_MS,
  DEFAULT_STT_LANGUAGE,
  DEFAULT_STT_MODEL,
  type SttOptions,
} from '../../stt/options.js';
import { describeKeptTranscript, interruptSignal, reportKept } from '../interrupt.js';
import { languageFlag } from '../language-code.js';
import { addGlobalOptions, choiceOption, nonNegativeInt, numberInRange, positiveInt, type GlobalOptions } from '../options.js';
import { TranscriptDisplay } from './transcript-display.js';
import { TranscriptFile, transcriptFormatFor } from './transcript-output.js';
import { openTranscribeSource, type TranscribeSource } from './transcript-source.js';
import { colorLevel, note } from '../ui.js';

/** After Ctrl-C: how long finals may still arrive before the command stops waiting. */
export const INTERRUPT_GRACE_MS = 2_000;

export interface TranscribeFlags extends GlobalOptions {
  mic?: boolean;
  recorder?: 'arecord' | 'rec' | 'sox';
  /** --sample-rate, under commander's name for it. */
  sampleRate?: number;
  channels?: number;
  model: string;
  language: string;
  voiceProfile: boolean;
  voiceProfileTopN?: number;
  vadThreshold?: number;
  minEndOfTurnSilence: number;
  endOfTurnThreshold: number;
  realtime?: boolean;
  json?: boolean;
  output?: string;
  batch?: boolean;
  maxChunkRate: number;
}

export function transcribeCommand(): Command {
  const command = new Command('transcribe')
    .description('transcribe speech from the microphone, an audio file or standard input (streaming STT)')
    .addArgument(new Argument('[file]', 'audio file (WAV of any rate and channel count; other formats through ffmpeg), or - for standard input'))
    .addOption(new Option('--mic', 'record from the default microphone until Ctrl-C'))
    .addOption(choiceOption('--recorder <name>', 'recording program for --mic', ['arecord', 'rec', 'sox'] as const))
    .addOption(new Option('--sample-rate <hz>', 'sample rate of raw s16le audio on standard input').argParser(positiveInt('--sample-rate')))
    .addOption(new Option('--channels <n>', 'channels of raw s16le audio on standard input (default 1)').argParser(positiveInt('--channels')))
    .addOption(new Option('--model <id>', 'speech-to-text model').default(DEFAULT_STT_MODEL))
    .addOption(new Option('--language <code>', 'language of the speech (BCP-47, e.g. en-US or en)').argParser(languageFlag('--language')).default(DEFAULT_STT_LANGUAGE))
    .addOption(new Option('--no-voice-profile', 'do not ask for (or show) the speaker\'s voice profile'))
    .addOption(new Option('--voice-profile-top-n <n>', 'labels per voice-profile category, 1–20 (default 1)').argParser(intInRange('--voice-profile-top-n', 1, 20)))
    .addOption(new Option('--vad-threshold <0..1>', 'voice activity threshold; 0 turns server VAD off: the whole input is one turn, ended by endTurn').argParser(numberInRange('--vad-threshold', 0, 1)))
    .addOption(
      new Option('--min-end-of-turn-silence <ms>', 'silence that ends a turn when the model is confident')
        .argParser(intInRange('--min-end-of-turn-silence', 20, 5000))
        .default(DEFAULT_MIN_END_OF_TURN_SILENCE_MS),
    )
    .addOption(
      new Option('--end-of-turn-threshold <0..1>', 'confidence needed to end a turn (higher: fewer splits, slower turns)')
        .argParser(numberInRange('--end-of-turn-threshold', 0, 1))
        .default(DEFAULT_END_OF_TURN_THRESHOLD),
    )
    .addOption(new Option('--realtime', 'send file input at 1x real time (the microphone always is)'))
    .addOption(new Option('--json', 'print every event as one JSON object per line (NDJSON) on stdout'))
    .addOption(new Option('-o, --output <path>', 'also write the transcript: .txt, .json (events), .srt or .vtt'))
    .addOption(new Option('--batch', 'send the whole file in one REST request instead of streaming (up to 16 MB of audio)'))
    .addOption(
      new Option('--max-chunk-rate <n>', 'cap on 100 ms audio chunks sent per second (the API allows 50; 0 = no cap)')
        .argParser(nonNegativeInt('--max-chunk-rate'))
        .default(DEFAULT_MAX_CHUNKS_PER_SECOND),
    );
  addGlobalOptions(command);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ inworld transcribe --mic                         # speak; Ctrl-C to stop
  $ inworld transcribe meeting.wav -o meeting.srt
  $ inworld transcribe interview.mp3 --json > events.ndjson
  $ arecord -f S16_LE -r 16000 -c 1 -t raw | inworld transcribe - --sample-rate 16000
  $ inworld transcribe clip.wav --batch --no-voice-profile
  $ inworld transcribe speech.wav --emulator          # offline; the emulator returns placeholder text`,
    )
    .action(async (file: string | undefined, flags: TranscribeFlags) => {
      await runTranscribe(file, flags);
    });
}

function intInRange(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max}, not "${value}".`);
    return n;
  };
}

async function runTranscribe(file: string | undefined, flags: TranscribeFlags): Promise<void> {
  // Everything local is checked before any connection: flags, output name, the input itself.
  if (flags.mic && file !== undefined) {
    throw new ValidationError('--mic and an input file cannot be used together', { hint: 'Give either --mic or a file (or - for standard input)' });
  }
  if (flags.batch && flags.mic) throw new ValidationError('--batch needs a file; the microphone can only be streamed', { hint: 'Drop --batch' });
  if (!flags.mic && file === undefined) {
    if (process.stdin.isTTY) {
      throw new ValidationError('nothing to transcribe', { hint: 'Give an audio file, - to read standard input, or --mic' });
    }
    file = '-';
  }
  if (flags.output) transcriptFormatFor(flags.output);
  if (flags.recorder !== undefined && !flags.mic) throw new ValidationError('--recorder goes with --mic', { hint: 'Add --mic, or drop --recorder' });
  // The transcript file is checked (and reserved) before the microphone or the file is opened.
  const output = flags.output ? await TranscriptFile.open(flags.output) : undefined;
  const source = await openTranscribeSource({
    mic: flags.mic === true,
    recorder: flags.recorder,
    file,
    sampleRateHertz: flags.sampleRate,
    channels: flags.channels,
    stdin: process.stdin,
  }).catch(async (error: unknown) => {
    await output?.discard();
    throw error;
  });
  const logNote = (message: string) => note(`inworld: ${message}`, flags);
  try {
    if (flags.verbose) logNote(`input: ${source.description}`);
    const { openContext } = await import('../context.js');
    const context = await openContext(flags);
    try {
      const display = new TranscriptDisplay({
        json: flags.json === true,
        voiceProfile: flags.voiceProfile,
        quiet: flags.quiet === true,
        stdout: process.stdout,
        stderr: process.stderr,
        color: colorLevel() > 0,
      });
      const options: SttOptions = {
        sampleRateHertz: source.sampleRateHertz,
        channels: source.channels,
        model: flags.model,
        language: flags.language,
        voiceProfile: flags.voiceProfile,
        ...(flags.voiceProfileTopN !== undefined ? { voiceProfileTopN: flags.voiceProfileTopN } : {}),
        ...(flags.vadThreshold !== undefined ? { vadThreshold: flags.vadThreshold } : {}),
        minEndOfTurnSilenceMs: flags.minEndOfTurnSilence,
        endOfTurnThreshold: flags.endOfTurnThreshold,
      };
      if (source.kind === 'mic' && !flags.quiet && !flags.json) logNote('listening… press Ctrl-C to stop');
      const run = flags.batch
        ? runBatch(context.client, source, options, display, output)
        : runStreaming(context.client, source, options, flags, display, output);
      try {
        await run;
      } catch (error) {
        throw withFix(error, options);
      }
    } finally {
      await context.close();
    }
  } finally {
    source.stop();
    await output?.discard();
  }
}

type Client = import('../../core/client.js').InworldClient;

async function runStreaming(
  client: Client,
  source: TranscribeSource,
  options: SttOptions,
  flags: TranscribeFlags,
  display: TranscriptDisplay,
  output: TranscriptFile | undefined,
): Promise<void> {
  const { SttSession } = await import('../../stt/session.js');
  const signal = interruptSignal();
  const session = new SttSession(client, {
    ...options,
    realtime: flags.realtime === true && source.kind !== 'mic',
    maxChunksPerSecond: flags.maxChunkRate,
  });
  let graceTimer: NodeJS.Timeout | undefined;
  // With server VAD off (manual turns) the end of the input is the end of the turn.
  const manualTurns = options.vadThreshold === 0;
  let ended = false;
  const finish = (hurry: boolean) => {
    if (ended) return;
    ended = true;
    try {
      if (manualTurns) session.endTurn();
    } catch {
      // The session has already stopped; its own error (if any) reaches the event loop below.
    }
    session.end({ hurry });
  };
  const onInterrupt = () => {
    // Stop listening, let the server finish the turns it has, and give it a moment to say so.
    source.stop();
    finish(true);
    graceTimer = setTimeout(() => session.abort(signal.reason), INTERRUPT_GRACE_MS);
    graceTimer.unref();
  };
  if (signal.aborted) onInterrupt();
  else signal.addEventListener('abort', onInterrupt, { once: true });

  const pump = (async () => {
    try {
      for await (const chunk of source.audio) {
        if (signal.aborted) break;
        await session.write(chunk);
      }
      finish(false);
    } catch (error) {
      // A source stopped by Ctrl-C may end with an error (a destroyed pipe): the turns so far
      // still get their finals. Otherwise a failed source fails the session (a failed session
      // reports its own error through the events).
      if (signal.aborted) finish(true);
      else session.abort(error);
    }
  })();

  let failure: unknown;
  let sawServerError = false;
  let finals = 0;
  try {
    for await (const event of session) {
      if (event.type === 'error') sawServerError = true;
      if (event.type === 'final' && event.text.trim() !== '') finals += 1;
      record(event, display, output);
    }
  } catch (error) {
    failure = error;
    // In --json mode a failure with no server error event (a lost connection, a refused
    // handshake) still ends the event stream with an `error` object; the exit path prints the line.
    if (flags.json && !sawServerError && !signal.aborted) {
      process.stdout.write(`${JSON.stringify({ type: 'error', message: (error as Error)?.message ?? String(error) })}\n`);
    }
  } finally {
    signal.removeEventListener('abort', onInterrupt);
    if (graceTimer) clearTimeout(graceTimer);
    display.finish();
    source.stop();
    // The pump ends once the source is stopped; after Ctrl-C it is not waited for, since a
    // recorder or pipe may take its time to let go and the user asked to stop.
    if (!signal.aborted) await pump;
  }
  // Whatever arrived is kept, also after Ctrl-C or a failure; when nothing did, there is no file.
  const stopped = signal.aborted || failure !== undefined;
  if (output) await (stopped && finals === 0 ? output.discard() : output.write());
  if (signal.aborted) {
    reportKept(describeKeptTranscript(finals, output?.path));
    throw signal.reason;
  }
  if (failure !== undefined) throw failure;
}

/** Adds the fix to server refusals whose cause is a flag the user can change. */
function withFix(error: unknown, options: SttOptions): unknown {
  if (!(error instanceof BadRequestError) || error.hint) return error;
  const fields = { status: error.status, grpcCode: error.grpcCode, serverMessage: error.serverMessage, requestId: error.requestId, body: error.body };
  if (/model/i.test(error.serverMessage)) {
    return new BadRequestError(fields, { cause: error, hint: `Check --model (given: ${options.model ?? DEFAULT_STT_MODEL}; the default is ${DEFAULT_STT_MODEL})` });
  }
  if (/language/i.test(error.serverMessage)) {
    return new BadRequestError(fields, { cause: error, hint: 'Check --language (a BCP-47 code such as en-US or en)' });
  }
  return error;
}

async function runBatch(
  client: Client,
  source: TranscribeSource,
  options: SttOptions,
  display: TranscriptDisplay,
  output: TranscriptFile | undefined,
): Promise<void> {
  const { transcribeClip, MAX_BATCH_AUDIO_BYTES } = await import('../../stt/rest.js');
  const signal = interruptSignal();
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of source.audio) {
    bytes += chunk.length;
    if (bytes > MAX_BATCH_AUDIO_BYTES) {
      throw new ValidationError(`the audio is over the ${MAX_BATCH_AUDIO_BYTES / 1024 / 1024} MB the batch endpoint takes`, { hint: 'Drop --batch to stream it instead' });
    }
    parts.push(chunk);
    if (signal.aborted) throw signal.reason;
  }
  const result = await transcribeClip(client, Buffer.concat(parts, bytes), { ...options, signal });
  const final: SttEvent = {
    type: 'final',
    turn: 1,
    text: result.text,
    words: result.words,
    ...(result.voiceProfile ? { voiceProfile: result.voiceProfile } : {}),
    ...(result.words.length > 0 ? { startMs: result.words[0]!.startMs, endMs: result.words.at(-1)!.endMs } : {}),
  };
  record(final, display, output);
  if (result.usage) record({ type: 'usage', ...result.usage }, display, output);
  display.finish();
  if (output) await output.write();
}

function record(event: SttEvent, display: TranscriptDisplay, output: TranscriptFile | undefined): void {
  display.show(event);
  output?.add(event);
}
