// Where synthesized audio goes, shared by `say` and `stream`: a file (format from the extension or
// --encoding), standard output, the speakers, or a file plus the speakers (--play). The plan is
// made and checked before any request; the sink is opened before the request too, so a missing
// directory or audio device fails fast with nothing sent.
import { ValidationError } from '../../core/errors.js';
import type { AudioEncoding, OutputFormat, ServerEncoding } from '../../audio/formats.js';
import type { PlayerName } from '../../audio/players.js';
import type { AudioSink } from '../../audio/sink.js';
import type { SynthesisFlags } from './synthesis-flags.js';
import { DEFAULT_SAMPLE_RATE_HZ } from './synthesis-flags.js';

/** G.711 (MULAW/ALAW) is defined at 8 kHz only. */
const TELEPHONY_SAMPLE_RATE_HZ = 8000;

export type Destination = 'file' | 'stdout' | 'speakers';

export interface AudioOutputPlan {
  destination: Destination;
  /** The file, for `file`. */
  path?: string;
  /** Also play on the speakers (file or stdout destination with --play). */
  play: boolean;
  player?: PlayerName;
  format: OutputFormat;
  serverEncoding: ServerEncoding;
  sampleRateHertz: number;
}

export interface PlanContext {
  stdoutIsTTY: boolean;
  /** Encodings the transport offers (the WebSocket has no FLAC). */
  allowedEncodings?: readonly string[];
}

export async function planAudioOutput(flags: SynthesisFlags, context: PlanContext): Promise<AudioOutputPlan> {
  const { resolveOutputFormat } = await import('../../audio/formats.js');
  const { isPlayerName, PLAYER_NAMES } = await import('../../audio/players.js');
  const toStdout = flags.output === '-' || (flags.output === undefined && !context.stdoutIsTTY);
  const destination: Destination = flags.output !== undefined && flags.output !== '-' ? 'file' : toStdout ? 'stdout' : 'speakers';
  const format = resolveOutputFormat({ path: destination === 'file' ? flags.output : undefined, encoding: flags.encoding });
  if (context.allowedEncodings && !context.allowedEncodings.includes(format.serverEncoding)) {
    throw new ValidationError(`${format.encoding} is not available here`, {
      hint: `Choose one of ${context.allowedEncodings.join(', ')}`,
    });
  }
  const plays = destination === 'speakers' || flags.play === true;
  if (plays && !format.isPcm16) {
    throw new ValidationError(`cannot play ${format.encoding} audio on the speakers`, {
      hint: destination === 'speakers' ? 'Write it to a file with -o, or drop --encoding' : 'Use a .wav output with --play, or drop --play',
    });
  }
  let player: PlayerName | undefined;
  if (flags.player !== undefined && !plays) {
    throw new ValidationError('--player chooses the program that plays the audio, and nothing plays here', { hint: 'Add --play, or drop --player' });
  }
  if (flags.player !== undefined) {
    if (!isPlayerName(flags.player)) throw new ValidationError(`unknown player "${flags.player}"`, { hint: `Use one of ${PLAYER_NAMES.join(', ')}` });
    player = flags.player;
  }
  return {
    destination,
    path: destination === 'file' ? flags.output : undefined,
    play: plays && destination !== 'speakers',
    player,
    format,
    serverEncoding: format.serverEncoding,
    sampleRateHertz: sampleRateFor(format.encoding, flags.sampleRate),
  };
}

function sampleRateFor(encoding: AudioEncoding, requested: number | undefined): number {
  const telephony = encoding === 'MULAW' || encoding === 'ALAW';
  if (telephony && requested !== undefined && requested !== TELEPHONY_SAMPLE_RATE_HZ) {
    throw new ValidationError(`${encoding} audio is 8000 Hz only, not ${requested}`, { hint: 'Drop --sample-rate or use --sample-rate 8000' });
  }
  return requested ?? (telephony ? TELEPHONY_SAMPLE_RATE_HZ : DEFAULT_SAMPLE_RATE_HZ);
}

/** Opens every sink the plan needs; if one fails, the ones already open are aborted. */
export async function openAudioOutput(plan: AudioOutputPlan, env: NodeJS.ProcessEnv = process.env): Promise<AudioSink> {
  const pcm = { sampleRateHertz: plan.sampleRateHertz, channels: 1, bitsPerSample: 16 };
  const wav = plan.format.container === 'wav' ? pcm : undefined;
  const opened: AudioSink[] = [];
  try {
    if (plan.destination === 'file') {
      const { openRawFileSink, openWavFileSink } = await import('../../audio/file-sink.js');
      opened.push(wav ? await openWavFileSink(plan.path!, wav) : await openRawFileSink(plan.path!));
    } else if (plan.destination === 'stdout') {
      const { openStdoutSink } = await import('../../audio/stdout-sink.js');
      opened.push(openStdoutSink({ wav }));
    }
    if (plan.destination === 'speakers' || plan.play) {
      const { openSpeakers } = await import('../../audio/speaker-sink.js');
      opened.push(await openSpeakers({ sampleRateHertz: plan.sampleRateHertz, player: plan.player, env }));
    }
  } catch (error) {
    await Promise.allSettled(opened.map((sink) => sink.abort(error)));
    throw error;
  }
  if (opened.length === 1) return opened[0]!;
  const { TeeSink } = await import('../../audio/tee-sink.js');
  return new TeeSink(opened);
}

/** What the destination is called in messages ("hello.wav", "standard output", "the speakers"). */
export function describeDestination(plan: AudioOutputPlan): string {
  if (plan.destination === 'file') return plan.path!;
  return plan.destination === 'stdout' ? 'standard output' : 'the speakers';
}
