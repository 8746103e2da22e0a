// PATCH and DELETE /voices/v1/voices/{voiceId}: custom voices only. A PATCH changes the fields it
// carries (or, with an `updateMask`, only the ones the mask names) and answers the voice; a DELETE
// answers an empty object. Unknown ids are 404 (code 5); system voices cannot be changed.
import type { ServerResponse } from 'node:http';
import type { EmulatorContext } from '../server/context.js';
import { EmulatorError, GRPC_FAILED_PRECONDITION, GRPC_NOT_FOUND, invalidArgument } from '../server/grpc.js';
import { sendJson } from '../server/http-io.js';
import { getField, isObject, readString } from '../server/json-fields.js';
import { readDisplayName, readTags } from './fields.js';
import { voiceApiJson } from './http.js';
import type { EmulatorVoice } from './types.js';

type Editable = Partial<Pick<EmulatorVoice, 'displayName' | 'description' | 'tags'>>;

const MASK_FIELDS: Record<string, keyof Editable> = {
  display_name: 'displayName', displayname: 'displayName', description: 'description', tags: 'tags',
};

function customVoiceOrThrow(voiceId: string, ctx: EmulatorContext): void {
  if (ctx.voiceStore.isSystem(voiceId)) {
    throw new EmulatorError(GRPC_FAILED_PRECONDITION, `Voice ${voiceId} is a system voice; only custom voices can be changed or deleted`);
  }
  if (!ctx.voiceStore.find(voiceId)) throw new EmulatorError(GRPC_NOT_FOUND, `Voice ${voiceId} not found`);
}

function readMask(url: URL, body: Record<string, unknown>): Set<keyof Editable> | undefined {
  const raw = url.searchParams.get('updateMask') ?? url.searchParams.get('update_mask') ?? getField(body, 'updateMask');
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = typeof raw === 'string' ? raw : isObject(raw) && Array.isArray(raw.paths) ? raw.paths.join(',') : undefined;
  if (text === undefined) throw invalidArgument('update_mask must be a comma-separated list of fields');
  const fields = new Set<keyof Editable>();
  for (const part of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const field = MASK_FIELDS[part.toLowerCase()];
    if (!field) throw invalidArgument(`update_mask names an unknown field "${part}"`);
    fields.add(field);
  }
  return fields;
}

export function handleUpdateVoice(response: ServerResponse, voiceId: string, url: URL, body: unknown, ctx: EmulatorContext): void {
  customVoiceOrThrow(voiceId, ctx);
  const fields = isObject(body) ? body : {};
  const mask = readMask(url, fields);
  const change: Editable = {};
  const displayName = readDisplayName(fields);
  if (displayName !== undefined) change.displayName = displayName;
  const description = readString(fields, 'description');
  if (description !== undefined) change.description = description;
  if (getField(fields, 'tags') !== undefined) change.tags = readTags(fields);
  if (mask) for (const key of Object.keys(change) as (keyof Editable)[]) if (!mask.has(key)) delete change[key];
  const voice = ctx.voiceStore.updateCustom(voiceId, change)!;
  sendJson(response, 200, voiceApiJson(voice));
}

export function handleDeleteVoice(response: ServerResponse, voiceId: string, ctx: EmulatorContext): void {
  customVoiceOrThrow(voiceId, ctx);
  ctx.voiceStore.removeCustom(voiceId);
  ctx.log.info(`voice deleted: ${voiceId}`);
  sendJson(response, 200, {});
}
