// The TTS models this version knows and what each can do (docs/protocol.md#models). The request
// checks (model-checks.ts) read this table: a feature a known model lacks is refused before any
// request; an unknown id is sent as given, since new models appear without notice.

/** What a TTS model does with each request feature. */
export interface TtsModelInfo {
  /** The `modelId` as sent. */
  id: string;
  /** `current` (the TTS-2 family), `previous` (1.5, still accepted), `deprecated` (TTS-1, reported discontinued). */
  status: 'current' | 'previous' | 'deprecated';
  /** One line for help and listings. */
  summary: string;
  /** `deliveryMode` (STABLE, BALANCED, CREATIVE) is used. */
  deliveryMode: boolean;
  /** An ad-hoc `voiceDesign` may stand in for `voiceId`. */
  voiceDesign: boolean;
  /** `pronunciationDictionarySettings` (up to three dictionaries) is used. */
  pronunciationDictionaries: boolean;
  /** `temperature` changes the output (TTS-2 ignores it). */
  temperature: boolean;
  /** Bracketed steering instructions in the text are followed. */
  steering: boolean;
  /** Non-verbal tags such as `[laugh]` or `[sigh]` in the text are voiced. */
  nonVerbalTags: boolean;
}

const TTS_2_FEATURES = { deliveryMode: true, pronunciationDictionaries: true, temperature: false, nonVerbalTags: true } as const;
const OLDER_FEATURES = {
  deliveryMode: false,
  voiceDesign: false,
  pronunciationDictionaries: false,
  temperature: true,
  steering: false,
  nonVerbalTags: false,
} as const;

/** The known models, newest first. */
export const TTS_MODELS: readonly TtsModelInfo[] = [
  { id: 'inworld-tts-2', status: 'current', summary: 'flagship: steering, non-verbal tags, voice design', ...TTS_2_FEATURES, voiceDesign: true, steering: true },
  { id: 'inworld-tts-2-flash', status: 'current', summary: 'fastest first audio; non-verbal tags, no steering or voice design', ...TTS_2_FEATURES, voiceDesign: false, steering: false },
  { id: 'inworld-tts-1.5-max', status: 'previous', summary: 'previous generation, higher quality', ...OLDER_FEATURES },
  { id: 'inworld-tts-1.5-mini', status: 'previous', summary: 'previous generation, lower latency', ...OLDER_FEATURES },
  { id: 'inworld-tts-1-max', status: 'deprecated', summary: 'legacy, reported discontinued', ...OLDER_FEATURES },
  { id: 'inworld-tts-1', status: 'deprecated', summary: 'legacy, reported discontinued', ...OLDER_FEATURES },
];

/** The default model: the current flagship, as Inworld's own tools and LiveKit's plugins use. */
export const DEFAULT_TTS_MODEL_ID = 'inworld-tts-2';

/** A model's entry, or undefined for an id this version does not know (it is still sent as given). */
export function findTtsModel(modelId: string): TtsModelInfo | undefined {
  return TTS_MODELS.find((model) => model.id === modelId);
}

/** Known models that have a feature, for the fix in a refusal ("use --model inworld-tts-2"). */
export function modelsWith(feature: keyof Pick<TtsModelInfo, 'deliveryMode' | 'voiceDesign' | 'pronunciationDictionaries'>): string[] {
  return TTS_MODELS.filter((model) => model[feature]).map((model) => model.id);
}
