// Designing a voice from a description: `POST /voices/v1/voices:design` answers one to three
// previews (audio plus a preview id), which expire unless one is published with
// `POST /voices/v1/voices/{id}:publish`. Both calls create something, so neither is sent twice.
import type { InworldClient } from '../core/client.js';
import { ValidationError } from '../core/errors.js';
import { checkVoiceId, voiceEditBody } from './manage.js';
import { DESIGN_PATH, parsePreviews, requireVoice, str, toVoiceApiLangCode, voicePath } from './protocol.js';
import { objectOf, voiceRequest } from './request.js';
import type { DesignRequest, DesignResult, Voice, VoiceCallOptions, VoiceEdit } from './types.js';

/**
 * The longest description sent. Inworld's sources disagree on the limits (its SDK enforces 30 to
 * 250 characters, its newer tools send up to 1000), so we refuse only what no source allows and
 * let the service judge the rest (docs/protocol.md#voices).
 */
export const MAX_DESIGN_PROMPT_CHARS = 1000;
export const MAX_PREVIEW_TEXT_CHARS = 1000;
export const MIN_DESIGN_SAMPLES = 1;
export const MAX_DESIGN_SAMPLES = 3;
/** Design renders audio; Inworld's SDK waits two minutes for it. */
export const DESIGN_TIMEOUT_MS = 120_000;

/** The request body, checked. */
export function designBody(request: DesignRequest): Record<string, unknown> {
  const prompt = (request.designPrompt ?? '').trim();
  if (prompt === '') throw new ValidationError('The voice description is empty; describe the voice (gender, age, accent, pitch, pace, tone).');
  if ([...prompt].length > MAX_DESIGN_PROMPT_CHARS) {
    throw new ValidationError(`The voice description is ${[...prompt].length} characters, over ${MAX_DESIGN_PROMPT_CHARS}; shorten it.`);
  }
  const previewText = (request.previewText ?? '').trim();
  if (previewText === '') throw new ValidationError('The preview text is empty; give what the previews should say with --preview-text.');
  if ([...previewText].length > MAX_PREVIEW_TEXT_CHARS) {
    throw new ValidationError(`The preview text is over ${MAX_PREVIEW_TEXT_CHARS} characters; shorten --preview-text.`);
  }
  const samples = request.numberOfSamples ?? MIN_DESIGN_SAMPLES;
  if (!Number.isInteger(samples) || samples < MIN_DESIGN_SAMPLES || samples > MAX_DESIGN_SAMPLES) {
    throw new ValidationError(`The number of previews must be ${MIN_DESIGN_SAMPLES} to ${MAX_DESIGN_SAMPLES}, not ${String(samples)} (fix --samples).`);
  }
  const body: Record<string, unknown> = { designPrompt: prompt, previewText, voiceDesignConfig: { numberOfSamples: samples } };
  if (request.langCode) body.langCode = toVoiceApiLangCode(request.langCode);
  return body;
}

/** Designs previews of a voice from a description. Never retried once sent. */
export async function designVoice(client: InworldClient, request: DesignRequest, options: VoiceCallOptions = {}): Promise<DesignResult> {
  const body = designBody(request);
  const response = await voiceRequest(client, { method: 'POST', path: DESIGN_PATH, body, idempotent: false, defaultTimeoutMs: DESIGN_TIMEOUT_MS }, options);
  const data = objectOf(response.data);
  const result: DesignResult = { previews: parsePreviews(data.previewVoices, response.requestId) };
  const langCode = str(data.langCode);
  if (langCode) result.langCode = langCode;
  return result;
}

/** Publishes a design preview as a voice of your workspace; returns the new voice. Never retried once sent. */
export async function publishVoice(client: InworldClient, previewId: string, edit: VoiceEdit, options: VoiceCallOptions = {}): Promise<Voice> {
  const id = checkVoiceId(previewId);
  if (edit.displayName === undefined) throw new ValidationError('A published voice needs a name; give one with --name.');
  const body = voiceEditBody(edit);
  if (Array.isArray(body.tags) && body.tags.length === 0) delete body.tags;
  const response = await voiceRequest(client, { method: 'POST', path: voicePath(id, 'publish'), body, idempotent: false }, options);
  // The service answers with the voice at the top level; tolerate a `{voice: …}` wrapper too.
  const data = objectOf(response.data);
  return requireVoice(data.voiceId !== undefined || data.name !== undefined ? data : data.voice, response.requestId, 'publish');
}
