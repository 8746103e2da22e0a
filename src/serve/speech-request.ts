// Checks a `POST /v1/audio/speech` body and turns it into the library's synthesis options. Every
// refusal here is a 400 before anything is sent to Inworld.
import { findTtsModel } from '../tts/models.js';
import { SPEAKING_RATE_RANGE, type SynthesisOptions } from '../tts/options.js';
import { badRequest } from './errors.js';
import { INWORLD_SPEECH_MODELS, type GatewayMapping } from './mapping.js';
import { DEFAULT_SPEECH_FORMAT, SPEECH_FORMATS, SPEECH_FORMAT_PLANS, SPEECH_SAMPLE_RATE_HZ, isSpeechFormat, type SpeechFormat } from './speech-formats.js';
import type { VoiceCatalogue } from './voice-catalogue.js';

/** OpenAI's limit on `input`; longer text than one Inworld request takes is split by the library. */
export const MAX_SPEECH_INPUT_CHARS = 4096;
/** OpenAI's range for `speed`; Inworld's narrower range is applied by clamping. */
export const OPENAI_SPEED_RANGE = [0.25, 4] as const;

export interface SpeechPlan {
  synthesis: SynthesisOptions;
  format: SpeechFormat;
  stream: 'audio' | 'sse';
}

export interface SpeechContext {
  mapping: GatewayMapping;
  voices: VoiceCatalogue;
  aacAvailable: boolean;
}

export function planSpeech(body: Record<string, unknown>, context: SpeechContext): SpeechPlan {
  const input = body.input;
  if (typeof input !== 'string') throw badRequest('"input" is required: the text to speak', 'input');
  if (input.trim() === '') throw badRequest('"input" is empty: give the text to speak', 'input');
  if ([...input].length > MAX_SPEECH_INPUT_CHARS) {
    throw badRequest(`"input" is ${[...input].length} characters, over the ${MAX_SPEECH_INPUT_CHARS} allowed: split the text into several requests`, 'input', 'string_above_max_length');
  }
  const modelId = speechModel(body.model, context.mapping);
  const voiceId = speechVoice(body.voice, context);
  const format = speechFormat(body.response_format, context.aacAvailable);
  const plan = SPEECH_FORMAT_PLANS[format];
  const synthesis: SynthesisOptions = {
    text: withInstructions(input, body.instructions, modelId),
    voiceId,
    modelId,
    audioConfig: { audioEncoding: plan.encoding, sampleRateHertz: SPEECH_SAMPLE_RATE_HZ },
  };
  const rate = speakingRate(body.speed);
  if (rate !== undefined) synthesis.audioConfig!.speakingRate = rate;
  return { synthesis, format, stream: streamFormat(body.stream_format) };
}

function speechModel(value: unknown, mapping: GatewayMapping): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest('"model" is required, e.g. "tts-1"', 'model');
  const mapped = mapping.speechModels[value];
  if (mapped) return mapped;
  if (INWORLD_SPEECH_MODELS.includes(value)) return value;
  const available = [...Object.keys(mapping.speechModels), ...INWORLD_SPEECH_MODELS].join(', ');
  throw badRequest(`the model "${value}" is not available for speech; use one of ${available}`, 'model', 'model_not_found');
}

function speechVoice(value: unknown, context: SpeechContext): string {
  const name = typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : value;
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('"voice" is required, e.g. "alloy" or an Inworld voice id', 'voice');
  const mapped = context.mapping.voices[name] ?? context.mapping.voices[name.toLowerCase()];
  if (mapped) return mapped;
  if (context.voices.accepts(name)) return name;
  const known = context.voices.sample();
  throw badRequest(
    `the voice "${name}" is unknown; use one of ${Object.keys(context.mapping.voices).join(', ')}, or an Inworld voice id${known ? ` such as ${known}` : ''}`,
    'voice',
    'voice_not_found',
  );
}

function speechFormat(value: unknown, aacAvailable: boolean): SpeechFormat {
  if (value === undefined || value === null) return DEFAULT_SPEECH_FORMAT;
  if (!isSpeechFormat(value)) throw badRequest(`"response_format" ${JSON.stringify(value)} is not supported; use one of ${SPEECH_FORMATS.join(', ')}`, 'response_format');
  if (value === 'aac' && !aacAvailable) {
    const others = SPEECH_FORMATS.filter((format) => format !== 'aac').join(', ');
    throw badRequest(`"response_format" aac needs ffmpeg on the gateway's machine, which is not installed; use one of ${others}`, 'response_format');
  }
  return value;
}

/** OpenAI's 0.25–4 is accepted; Inworld speaks 0.5–1.5, so the value is clamped into that. */
function speakingRate(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const [min, max] = OPENAI_SPEED_RANGE;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badRequest(`"speed" must be a number from ${min} to ${max} (got ${JSON.stringify(value)})`, 'speed');
  }
  const [low, high] = SPEAKING_RATE_RANGE;
  return Math.min(high, Math.max(low, value));
}

/** Steering models follow a bracketed instruction before the text; others would speak it, so it is dropped. */
function withInstructions(input: string, instructions: unknown, modelId: string): string {
  if (instructions === undefined || instructions === null || instructions === '') return input;
  if (typeof instructions !== 'string') throw badRequest('"instructions" must be a string', 'instructions');
  if (findTtsModel(modelId)?.steering !== true) return input;
  const clean = instructions.replace(/[[\]]/g, ' ').replace(/\s+/g, ' ').trim();
  return clean ? `[${clean}] ${input}` : input;
}

function streamFormat(value: unknown): 'audio' | 'sse' {
  if (value === undefined || value === null || value === 'audio') return 'audio';
  if (value === 'sse') return 'sse';
  throw badRequest(`"stream_format" must be "audio" or "sse" (got ${JSON.stringify(value)})`, 'stream_format');
}
