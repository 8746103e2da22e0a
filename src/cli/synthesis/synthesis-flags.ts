// The synthesis flags `say` and `stream` share (voice, model, format, prosody, timestamps), parsed
// and range-checked at the command boundary so bad values exit 2 before any request.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AUDIO_ENCODINGS, type AudioEncoding } from '../../audio/formats.js';
import { DEFAULT_TTS_MODEL_ID } from '../../tts/models.js';
import type { SynthesisOptions } from '../../tts/options.js';
import type { AudioOutputPlan } from './audio-output.js';
import { languageFlag } from '../language-code.js';
import { choiceOption, numberInRange, oneOf, positiveInt } from '../options.js';

export const DEFAULT_VOICE = 'Ashley';
export const DEFAULT_MODEL = DEFAULT_TTS_MODEL_ID;
export const DEFAULT_SAMPLE_RATE_HZ = 24_000;

export const ENCODING_NAMES = AUDIO_ENCODINGS;
export type EncodingName = AudioEncoding;
const DELIVERY_MODES = ['STABLE', 'BALANCED', 'CREATIVE'] as const;
/** Accepted but not listed: the old name of CREATIVE. */
const OLD_DELIVERY_MODES = ['EXPRESSIVE'] as const;
const SEED_RANGE = [-2_147_483_648, 2_147_483_647] as const;
const TIMESTAMP_KINDS = ['word', 'character'] as const;
const TIMESTAMP_TRANSPORTS = ['sync', 'async'] as const;
const NORMALIZE = ['on', 'off'] as const;

export interface SynthesisFlags {
  voice: string;
  model: string;
  encoding?: EncodingName;
  /** --sample-rate, under commander's name for it. */
  sampleRate?: number;
  bitRate?: number;
  speakingRate?: number;
  temperature?: number;
  language?: string;
  deliveryMode?: (typeof DELIVERY_MODES)[number] | (typeof OLD_DELIVERY_MODES)[number];
  voiceDesign?: string;
  seed?: number;
  timestamps?: (typeof TIMESTAMP_KINDS)[number];
  timestampTransport?: (typeof TIMESTAMP_TRANSPORTS)[number];
  normalize?: (typeof NORMALIZE)[number];
  subtitles?: string;
  /** Dictionary names, ids or resource names as typed; resolved to resource names before sending. */
  pronunciationDict?: string[];
  output?: string;
  play?: boolean;
  player?: string;
}

export interface SynthesisFlagOptions {
  /** The WebSocket offers no FLAC. */
  encodings?: readonly EncodingName[];
}

export function addSynthesisFlags(command: Command, options: SynthesisFlagOptions = {}): Command {
  const encodings = options.encodings ?? ENCODING_NAMES;
  return command
    .addOption(new Option('-o, --output <path>', 'write audio to a file (format from the extension) or - for stdout'))
    .addOption(new Option('--play', 'also play on the speakers while writing a file'))
    .addOption(new Option('--player <name>', 'playback program: speaker, aplay, paplay, pw-play, afplay, ffplay'))
    .addOption(new Option('--voice <id>', 'voice id (see `inworld voices`)').default(DEFAULT_VOICE))
    .addOption(new Option('--voice-design <description>', 'an ad-hoc voice described in words, 7..1024 characters, instead of --voice (inworld-tts-2)'))
    .addOption(new Option('--model <id>', 'TTS model id: inworld-tts-2, inworld-tts-2-flash, inworld-tts-1.5-max, inworld-tts-1.5-mini').default(DEFAULT_MODEL))
    .addOption(new Option('--seed <int>', 'the same seed, text and voice give the same audio').argParser(seed))
    .addOption(choiceOption('--encoding <name>', 'audio encoding, overriding the file extension', encodings))
    .addOption(new Option('--sample-rate <hz>', `sample rate, 8000..48000 (default ${DEFAULT_SAMPLE_RATE_HZ}; 8000 for MULAW/ALAW)`).argParser(sampleRateHertz))
    .addOption(new Option('--bit-rate <bps>', 'bit rate for MP3 (32000..320000) and OGG_OPUS (32000..192000)').argParser(positiveInt('--bit-rate')))
    .addOption(new Option('--speaking-rate <rate>', 'speaking rate, 0.5..1.5').argParser(numberInRange('--speaking-rate', 0.5, 1.5)))
    .addOption(new Option('--temperature <t>', 'sampling temperature, (0, 2]; TTS-2 models ignore it').argParser(numberInRange('--temperature', 0, 2, true)))
    .addOption(new Option('--language <bcp47>', 'language of the text, e.g. en-US').argParser(languageFlag('--language')))
    .addOption(
      choiceOption('--delivery-mode <mode>', 'delivery mode (TTS-2 models)', DELIVERY_MODES).argParser(oneOf('--delivery-mode', [...DELIVERY_MODES, ...OLD_DELIVERY_MODES])),
    )
    .addOption(choiceOption('--timestamps <kind>', 'ask for word or character timestamps', TIMESTAMP_KINDS))
    .addOption(choiceOption('--timestamp-transport <mode>', 'timestamps with the audio (sync) or trailing it (async)', TIMESTAMP_TRANSPORTS))
    .addOption(choiceOption('--normalize <mode>', 'text normalization of numbers and dates', NORMALIZE))
    .addOption(new Option('--subtitles <path>', 'write captions to a .srt or .vtt file (implies word timestamps)').argParser(subtitlePath))
    .addOption(
      new Option('--pronunciation-dict <name>', `use a pronunciation dictionary (name, id or resource name; repeatable, up to ${MAX_PRONUNCIATION_DICTS}; TTS-2 models)`).argParser(
        collectDictionaries,
      ),
    );
}

/** Most --pronunciation-dict flags one command takes: what one request may name. */
export const MAX_PRONUNCIATION_DICTS = 3;

function collectDictionaries(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('--pronunciation-dict needs a dictionary name (see `inworld pronunciations list`).');
  const all = [...(previous ?? []), value.trim()];
  if (all.length > MAX_PRONUNCIATION_DICTS) {
    throw new InvalidArgumentError(`--pronunciation-dict is given ${all.length} times; a request uses at most ${MAX_PRONUNCIATION_DICTS} dictionaries.`);
  }
  return all;
}

function sampleRateHertz(value: string): number {
  positiveInt('--sample-rate')(value);
  return numberInRange('--sample-rate', 8000, 48000)(value);
}

function seed(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < SEED_RANGE[0] || n > SEED_RANGE[1]) {
    throw new InvalidArgumentError(`--seed takes a whole number from ${SEED_RANGE[0]} to ${SEED_RANGE[1]}, not "${value}".`);
  }
  return n;
}

function subtitlePath(value: string): string {
  if (!/\.(srt|vtt)$/i.test(value)) throw new InvalidArgumentError(`--subtitles needs a .srt or .vtt file name, not "${value}".`);
  return value;
}

/** The library's synthesis options for a text, from the parsed flags and the output plan. */
export function toSynthesisOptions(text: string, flags: SynthesisFlags, plan: AudioOutputPlan): SynthesisOptions {
  const timestamps = flags.timestamps ?? (flags.subtitles ? 'word' : undefined);
  const voice: Pick<SynthesisOptions, 'voiceId' | 'voiceDesign'> =
    flags.voiceDesign !== undefined ? { voiceDesign: { designPrompt: flags.voiceDesign } } : { voiceId: flags.voice };
  return {
    text,
    ...voice,
    modelId: flags.model,
    audioConfig: {
      audioEncoding: plan.serverEncoding,
      sampleRateHertz: plan.sampleRateHertz,
      bitRate: flags.bitRate,
      speakingRate: flags.speakingRate,
    },
    temperature: flags.temperature,
    timestampType: timestamps === 'word' ? 'WORD' : timestamps === 'character' ? 'CHARACTER' : undefined,
    applyTextNormalization: flags.normalize === 'on' ? 'ON' : flags.normalize === 'off' ? 'OFF' : undefined,
    language: flags.language,
    deliveryMode: flags.deliveryMode,
    seed: flags.seed,
    timestampTransportStrategy: flags.timestampTransport === 'async' ? 'ASYNC' : flags.timestampTransport === 'sync' ? 'SYNC' : undefined,
    pronunciationDictionaries: flags.pronunciationDict,
  };
}
