// The models the emulated service knows, and the TTS-2 request fields it checks the way the
// service does, for the HTTP body and the WebSocket `create` alike: `voiceDesign` (an ad-hoc voice
// instead of `voiceId`, inworld-tts-2 only, a description of 7 to 1024 characters) and `seed` (a
// 32-bit integer). Each check returns the service-like message of the INVALID_ARGUMENT it raises,
// or undefined.

export const KNOWN_TTS_MODELS = [
  'inworld-tts-2', 'inworld-tts-2-flash', 'inworld-tts-1.5-max', 'inworld-tts-1.5-mini', 'inworld-tts-1.5', 'inworld-tts-1', 'inworld-tts-1-max',
] as const;

/** Models that take an ad-hoc `voiceDesign` (not the flash model). */
export const VOICE_DESIGN_MODELS: readonly string[] = ['inworld-tts-2'];
export const MIN_DESIGN_PROMPT_CHARS = 7;
export const MAX_DESIGN_PROMPT_CHARS = 1024;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

export function unknownModelMessage(modelId: string): string | undefined {
  if ((KNOWN_TTS_MODELS as readonly string[]).includes(modelId)) return undefined;
  return `Invalid model_id "${modelId}": supported models are ${KNOWN_TTS_MODELS.join(', ')}`;
}

/** What a request chose as its voice. */
export interface VoiceChoice {
  voiceId?: string;
  designPrompt?: string;
  modelId: string;
}

/** Exactly one of voice_id and voice_design, and the design where the model takes one. */
export function voiceChoiceMessage(choice: VoiceChoice): string | undefined {
  const { voiceId, designPrompt, modelId } = choice;
  if (designPrompt === undefined) return voiceId ? undefined : 'voice_id is required';
  if (voiceId) return 'voice_id and voice_design are mutually exclusive: set only one of them';
  if (!VOICE_DESIGN_MODELS.includes(modelId)) {
    return `voice_design is not supported by model "${modelId}"; it is available with ${VOICE_DESIGN_MODELS.join(', ')}`;
  }
  const length = [...designPrompt].length;
  if (length < MIN_DESIGN_PROMPT_CHARS || length > MAX_DESIGN_PROMPT_CHARS) {
    return `voice_design.design_prompt must be between ${MIN_DESIGN_PROMPT_CHARS} and ${MAX_DESIGN_PROMPT_CHARS} characters, got ${length}`;
  }
  return undefined;
}

/** An int32, as protobuf reads the field. */
export function seedMessage(seed: number | undefined): string | undefined {
  if (seed === undefined) return undefined;
  if (!Number.isInteger(seed) || seed < INT32_MIN || seed > INT32_MAX) return `Invalid value at 'seed' (TYPE_INT32), ${seed}`;
  return undefined;
}
