// `GET /v1/models` and `/v1/models/{id}` in OpenAI's list shape: the OpenAI names this gateway maps
// and the Inworld ids it accepts as they are.
import { GatewayError } from './errors.js';
import { INWORLD_SPEECH_MODELS, INWORLD_TRANSCRIPTION_MODELS, type GatewayMapping } from './mapping.js';

/** A fixed creation time: the models are not created by the gateway, and clients only display it. */
const CREATED_SECONDS = 1_700_000_000;

export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export function listModels(mapping: GatewayMapping): { object: 'list'; data: ModelEntry[] } {
  const ids = new Map<string, string>();
  for (const [name, target] of Object.entries(mapping.speechModels)) ids.set(name, `inworld (${target})`);
  for (const [name, target] of Object.entries(mapping.transcriptionModels)) ids.set(name, `inworld (${target})`);
  for (const id of [...INWORLD_SPEECH_MODELS, ...INWORLD_TRANSCRIPTION_MODELS]) if (!ids.has(id)) ids.set(id, 'inworld');
  return { object: 'list', data: [...ids].map(([id, owner]) => ({ id, object: 'model', created: CREATED_SECONDS, owned_by: owner })) };
}

export function findModel(mapping: GatewayMapping, id: string): ModelEntry {
  const entry = listModels(mapping).data.find((model) => model.id === id);
  if (!entry) throw new GatewayError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
  return entry;
}
