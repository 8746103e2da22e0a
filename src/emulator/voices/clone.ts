// POST /voices/v1/voices:clone: a custom voice from recordings. Each sample is judged on its own
// (audioSamplesValidated lists warnings and errors per sample, in order); the voice is created
// when at least one sample is usable, and TTS accepts its id at once. Limited per key per minute.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { GRPC_RESOURCE_EXHAUSTED, invalidArgument } from '../server/grpc.js';
import { sendJson, sendStatus } from '../server/http-io.js';
import { getField, isObject, readBoolean, readObject, readString, type JsonObject } from '../server/json-fields.js';
import { judgeSample, type SampleVerdict } from './audio-samples.js';
import { customVoice, customVoiceId, normaliseLangCode } from './custom.js';
import { credentialOf } from './guards.js';
import { voiceApiJson } from './http.js';
import { readTags, requireDisplayName } from './fields.js';

interface WireSample {
  audio: Buffer;
  transcription?: string;
}

function readSamples(body: JsonObject): WireSample[] {
  const samples = getField(body, 'voiceSamples');
  if (!Array.isArray(samples) || samples.length === 0) throw invalidArgument('voice_samples is required: at least one audio sample');
  return samples.map((sample, index) => {
    if (!isObject(sample)) throw invalidArgument(`Invalid value at 'voice_samples[${index}]' (TYPE_MESSAGE)`);
    const data = readString(sample, 'audioData', `voice_samples[${index}]`);
    if (data === undefined) throw invalidArgument(`voice_samples[${index}].audio_data is required`);
    if (!/^[A-Za-z0-9+/=_-]*$/.test(data)) throw invalidArgument(`voice_samples[${index}].audio_data is not base64`);
    const transcription = readString(sample, 'transcription', `voice_samples[${index}]`);
    return { audio: Buffer.from(data, 'base64'), ...(transcription !== undefined ? { transcription } : {}) };
  });
}

function validationJson(verdict: SampleVerdict, langCode: string, transcription: string | undefined): Record<string, unknown> {
  return {
    langCode,
    warnings: verdict.warnings.map((text) => ({ text })),
    errors: verdict.errors.map((text) => ({ text })),
    transcription: transcription ?? '',
  };
}

export async function handleCloneVoice(request: IncomingMessage, response: ServerResponse, body: unknown, ctx: EmulatorContext): Promise<void> {
  const limit = ctx.cloneLimiter.take(credentialOf(request), ctx.options.cloneRateLimitPerMinute);
  if (!limit.allowed) {
    const message = `Resource exhausted: at most ${ctx.options.cloneRateLimitPerMinute} voice clones per minute; retry in ${limit.retryAfterSeconds} s`;
    return sendStatus(response, 429, GRPC_RESOURCE_EXHAUSTED, message, { 'retry-after': String(limit.retryAfterSeconds) });
  }
  if (!isObject(body)) throw invalidArgument('The clone request needs a JSON body');
  const displayName = requireDisplayName(body);
  const langCode = normaliseLangCode(readString(body, 'langCode') ?? readString(body, 'languageCode'), 'EN_US');
  const description = readString(body, 'description') ?? '';
  const tags = readTags(body);
  readBoolean(readObject(body, 'audioProcessingConfig') ?? {}, 'removeBackgroundNoise', 'audio_processing_config');
  const samples = readSamples(body);
  const verdicts = samples.map((sample) => judgeSample(sample.audio));
  if (verdicts.every((verdict) => verdict.errors.length > 0)) {
    const reasons = verdicts.map((verdict, index) => `sample ${index + 1}: ${verdict.errors.join('; ')}`).join('. ');
    throw invalidArgument(`No usable voice sample. ${reasons}`);
  }
  const voiceId = customVoiceId(ctx.options.workspace, displayName, (id) => ctx.voiceStore.taken(id));
  const voice = customVoice({ voiceId, displayName, description, langCode, tags });
  ctx.voiceStore.addCustom(voice);
  ctx.log.info(`voice cloned: ${voiceId} from ${samples.length} sample(s)`);
  // The voice exists from here on, whether or not the caller waits for the answer.
  await ctx.delay(ctx.options.cloneLatencyMs).catch(() => undefined);
  sendJson(response, 200, {
    voice: voiceApiJson(voice),
    audioSamplesValidated: verdicts.map((verdict, index) => validationJson(verdict, langCode, samples[index]!.transcription)),
  });
}
