// One voice by id: get it, change its name, description or tags (PATCH), delete it. Custom voice
// ids look like `{workspace}__{voice}`; system voices cannot be changed.
import type { InworldClient } from '../core/client.js';
import { ValidationError } from '../core/errors.js';
import { requireVoice, voicePath } from './protocol.js';
import { voiceRequest } from './request.js';
import type { Voice, VoiceCallOptions, VoiceEdit } from './types.js';

/** Longest display name, description and tag we send; the service's own limits are not published. */
export const MAX_DISPLAY_NAME_CHARS = 100;
export const MAX_VOICE_DESCRIPTION_CHARS = 1000;
export const MAX_TAG_CHARS = 50;
export const MAX_TAGS = 20;

/** A voice id as the service spells them: non-empty, no spaces or slashes. */
export function checkVoiceId(voiceId: string): string {
  const id = voiceId.trim();
  if (id === '' || /[\s/]/.test(id)) throw new ValidationError(`"${voiceId}" is not a voice id; ids look like Ashley or my_workspace__my_voice (see \`inworld voices\`).`);
  return id;
}

/** Checks the editable fields and returns the JSON body with only the fields that were given. */
export function voiceEditBody(edit: VoiceEdit): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (edit.displayName !== undefined) {
    const name = edit.displayName.trim();
    if (name === '') throw new ValidationError('The voice name is empty; give one with --name.');
    if ([...name].length > MAX_DISPLAY_NAME_CHARS) throw new ValidationError(`The voice name is over ${MAX_DISPLAY_NAME_CHARS} characters; shorten --name.`);
    body.displayName = name;
  }
  if (edit.description !== undefined) {
    if ([...edit.description].length > MAX_VOICE_DESCRIPTION_CHARS) {
      throw new ValidationError(`The description is over ${MAX_VOICE_DESCRIPTION_CHARS} characters; shorten --description.`);
    }
    body.description = edit.description;
  }
  if (edit.tags !== undefined) {
    const tags = edit.tags.map((tag) => tag.trim()).filter((tag) => tag !== '');
    if (tags.length > MAX_TAGS) throw new ValidationError(`${tags.length} tags is over ${MAX_TAGS}; give fewer with --tags.`);
    const long = tags.find((tag) => [...tag].length > MAX_TAG_CHARS);
    if (long) throw new ValidationError(`The tag "${long.slice(0, 20)}…" is over ${MAX_TAG_CHARS} characters; shorten it in --tags.`);
    body.tags = tags;
  }
  return body;
}

/** `GET /voices/v1/voices/{id}`: one voice, system or custom. */
export async function getVoice(client: InworldClient, voiceId: string, options: VoiceCallOptions = {}): Promise<Voice> {
  const id = checkVoiceId(voiceId);
  const response = await voiceRequest(client, { method: 'GET', path: voicePath(id), idempotent: true }, options);
  return requireVoice(response.data, response.requestId, 'get voice');
}

/** `PATCH /voices/v1/voices/{id}` with the fields to change; returns the voice as it now is. */
export async function updateVoice(client: InworldClient, voiceId: string, edit: VoiceEdit, options: VoiceCallOptions = {}): Promise<Voice> {
  const id = checkVoiceId(voiceId);
  const body = voiceEditBody(edit);
  if (Object.keys(body).length === 0) throw new ValidationError('Nothing to change: give --name, --description or --tags.');
  // Sending the same fields twice leaves the same voice, so a lost answer may be retried.
  const response = await voiceRequest(client, { method: 'PATCH', path: voicePath(id), body, idempotent: true }, options);
  return requireVoice(response.data, response.requestId, 'update voice');
}

/**
 * `DELETE /voices/v1/voices/{id}`. Retried like any idempotent call; a 404 on a retry means the
 * first attempt did delete it, so that counts as done.
 */
export async function deleteVoice(client: InworldClient, voiceId: string, options: VoiceCallOptions = {}): Promise<void> {
  const id = checkVoiceId(voiceId);
  await voiceRequest(client, { method: 'DELETE', path: voicePath(id), idempotent: true, goneOnRetryIsDone: true }, options);
}
