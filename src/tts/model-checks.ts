// Model-aware checks of a synthesis request, before any request: a feature the chosen model
// cannot use is refused (ValidationError, one line with the fix); what the model would silently
// ignore, a deprecated model and a model id this version does not know are warnings the caller
// hears through `onWarning` (the CLI prints them on stderr). Unknown ids are never refused: new
// models appear without notice, and the server is the judge of them.
import { ValidationError } from '../core/errors.js';
import { findTtsModel, modelsWith, TTS_MODELS } from './models.js';

/** Why a request drew a warning. */
export type SynthesisWarningCode = 'model-unknown' | 'model-deprecated' | 'temperature-ignored' | 'delivery-mode-renamed';

/** Something about a request that is sent anyway but probably not what the caller meant. */
export interface SynthesisWarning {
  code: SynthesisWarningCode;
  /** One line for a human, naming the fix. */
  message: string;
  modelId: string;
}

/** Receives the warnings of a call (once per call, before its first request). */
export type WarningListener = (warning: SynthesisWarning) => void;

/** Features a request may ask for that only some models have. */
export type ModelFeature = 'deliveryMode' | 'voiceDesign' | 'pronunciationDictionaries';

const FEATURE_WORDING: Record<ModelFeature, { what: string; otherwise: string }> = {
  deliveryMode: { what: 'Delivery mode works', otherwise: 'drop --delivery-mode' },
  voiceDesign: { what: 'An ad-hoc voice design works', otherwise: 'use a saved voice with --voice' },
  pronunciationDictionaries: { what: 'Pronunciation dictionaries work', otherwise: 'drop --pronunciation-dict' },
};

/**
 * Refuses `feature` on a known model that lacks it; an unknown model passes (it is warned about
 * by {@link modelWarnings}). Used for every feature in the table, dictionaries included.
 */
export function requireModelFeature(modelId: string, feature: ModelFeature): void {
  const model = findTtsModel(modelId);
  if (!model || model[feature]) return;
  const { what, otherwise } = FEATURE_WORDING[feature];
  const models = modelsWith(feature);
  const use = models.length === 1 ? `--model ${models[0]}` : `--model ${models.join(' or ')}`;
  throw new ValidationError(`${what} only with ${models.join(', ')}, not ${modelId}; use ${use}, or ${otherwise}.`);
}

/** The request fields the model checks read. */
export interface ModelCheckInput {
  modelId: string;
  temperature?: number;
  /** As the caller gave it: EXPRESSIVE is the old name of CREATIVE. */
  deliveryMode?: string;
}

/** What is sent anyway but worth a line: unknown or deprecated model, ignored temperature, an old enum name. */
export function modelWarnings(input: ModelCheckInput): SynthesisWarning[] {
  const { modelId } = input;
  const warnings: SynthesisWarning[] = [];
  const warn = (code: SynthesisWarningCode, message: string) => warnings.push({ code, message, modelId });
  const model = findTtsModel(modelId);
  if (!model) {
    warn('model-unknown', `Model ${modelId} is not one this version knows (${TTS_MODELS.map((m) => m.id).join(', ')}); sending it as given.`);
  } else if (model.status === 'deprecated') {
    warn('model-deprecated', `${modelId} is a legacy model, reported discontinued; use ${currentModels()} (or inworld-tts-1.5-max).`);
  }
  if (input.temperature !== undefined && model && !model.temperature) {
    warn('temperature-ignored', `${modelId} ignores temperature; drop --temperature, or use an inworld-tts-1.5 model to have it apply.`);
  }
  if (input.deliveryMode === 'EXPRESSIVE') {
    warn('delivery-mode-renamed', 'Delivery mode EXPRESSIVE is the old name of CREATIVE; sending CREATIVE.');
  }
  return warnings;
}

function currentModels(): string {
  return TTS_MODELS.filter((model) => model.status === 'current').map((model) => model.id).join(' or ');
}
