// POST /voices/v1/voices:design answers 1 to 3 previews of a described voice, each with real audio
// from the emulator's speech engine (MP3) and an id; POST /voices/v1/voices/{id}:publish keeps
// one as a custom voice and answers it at the top level. Unpublished previews expire.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { EmulatorError, GRPC_ALREADY_EXISTS, GRPC_NOT_FOUND, invalidArgument } from '../server/grpc.js';
import { sendJson } from '../server/http-io.js';
import { isObject, readInteger, readObject, readString, type JsonObject } from '../server/json-fields.js';
import { customVoice, describedKind, normaliseLangCode, previewVoiceId, renderLanguage } from './custom.js';
import { readDisplayName, readTags } from './fields.js';
import { voiceApiJson } from './http.js';

const PREVIEW_SAMPLE_RATE_HZ = 24_000;
const PREVIEW_BIT_RATE = 64_000;
const MAX_PREVIEW_TEXT_CHARS = 1000;
const MIN_SAMPLES = 1;
const MAX_SAMPLES = 3;

function readPrompt(body: JsonObject, ctx: EmulatorContext): string {
  const prompt = (readString(body, 'designPrompt') ?? '').trim();
  const { designPromptMinChars: min, designPromptMaxChars: max } = ctx.options.limits;
  const length = [...prompt].length;
  if (length === 0) throw invalidArgument('design_prompt is required');
  if (length < min || length > max) throw invalidArgument(`design_prompt must be ${min} to ${max} characters long, got ${length}`);
  return prompt;
}

function readSampleCount(body: JsonObject): number {
  const config = readObject(body, 'voiceDesignConfig') ?? {};
  const count = readInteger(config, 'numberOfSamples', 'voice_design_config') ?? MIN_SAMPLES;
  if (count < MIN_SAMPLES || count > MAX_SAMPLES) {
    throw invalidArgument(`voice_design_config.number_of_samples must be ${MIN_SAMPLES} to ${MAX_SAMPLES}, got ${count}`);
  }
  return count;
}

export async function handleDesignVoice(response: ServerResponse, body: unknown, ctx: EmulatorContext): Promise<void> {
  if (!isObject(body)) throw invalidArgument('The design request needs a JSON body');
  const prompt = readPrompt(body, ctx);
  const previewText = (readString(body, 'previewText') ?? '').trim();
  if (previewText === '') throw invalidArgument('preview_text is required');
  if ([...previewText].length > MAX_PREVIEW_TEXT_CHARS) throw invalidArgument(`preview_text is longer than ${MAX_PREVIEW_TEXT_CHARS} characters`);
  // Inworld's SDK sends langCode, its newer tools languageCode: both are read.
  const langCode = normaliseLangCode(readString(body, 'langCode') ?? readString(body, 'languageCode'), 'AUTO');
  const count = readSampleCount(body);
  const kind = describedKind(prompt);
  const expiresAtMs = Date.now() + ctx.options.previewTtlMs;
  const previewVoices: Record<string, unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const voiceId = previewVoiceId(ctx.options.workspace);
    const voice = customVoice({ voiceId, displayName: '', description: prompt, langCode, tags: [], ...kind, variation: index - 1 });
    ctx.voiceStore.addPreview({ voice, previewText, expiresAtMs });
    const speech = await ctx.speech.render(previewText, { sampleRateHertz: PREVIEW_SAMPLE_RATE_HZ, voiceId, language: renderLanguage(langCode) });
    const encoder = ctx.createEncoder({ encoding: 'MP3', sampleRateHertz: PREVIEW_SAMPLE_RATE_HZ, bitRate: PREVIEW_BIT_RATE });
    const audio = Buffer.concat([encoder.write(speech.samples), encoder.end()]);
    previewVoices.push({ voiceId, previewText, previewAudio: audio.toString('base64') });
  }
  ctx.log.info(`voice designed: ${count} preview(s), expiring in ${Math.round(ctx.options.previewTtlMs / 1000)} s`);
  sendJson(response, 200, { langCode, previewVoices });
}

export function handlePublishVoice(response: ServerResponse, voiceId: string, body: unknown, ctx: EmulatorContext): void {
  const fields = isObject(body) ? body : {};
  if (ctx.voiceStore.find(voiceId)) throw new EmulatorError(GRPC_ALREADY_EXISTS, `Voice ${voiceId} is already published`);
  const preview = ctx.voiceStore.preview(voiceId);
  if (!preview) {
    const minutes = Math.round(ctx.options.previewTtlMs / 60_000);
    throw new EmulatorError(GRPC_NOT_FOUND, `Voice preview ${voiceId} not found: previews expire ${minutes} min after design unless published`);
  }
  const displayName = readDisplayName(fields) ?? 'Designed voice';
  const description = readString(fields, 'description') ?? preview.voice.description;
  const voice = ctx.voiceStore.publish(voiceId, { displayName, description, tags: readTags(fields) })!;
  ctx.log.info(`voice published: ${voiceId}`);
  sendJson(response, 200, voiceApiJson(voice));
}
