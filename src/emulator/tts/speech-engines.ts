// Chooses and builds a speech engine; the voice (a catalogue voice or a designed one) and the
// seed shape the pitch (synthetic) or the espeak voice and pitch.
import type { SpeechEngine, SpeechEngineName, SpeechRenderOptions } from './speech.js';
import { createEspeakEngine, espeakInstalled } from './speech-espeak.js';
import { createSyntheticEngine } from './speech-synthetic.js';
import { createVoiceCatalogue } from '../voices/catalogue.js';
import type { VoiceCatalogue } from '../voices/types.js';
import { applySeedGain, seedVariation } from './voice-variation.js';

const DEFAULT_PITCH_HZ = 150;

/** Whether espeak-ng is installed and runs (probed once per process). */
export function espeakAvailable(): boolean {
  return espeakInstalled();
}

/** `espeak` silently becomes `synthetic` when espeak-ng is not installed. */
export function createSpeechEngine(name: SpeechEngineName, voices: VoiceCatalogue = createVoiceCatalogue()): SpeechEngine {
  const voiceOf = (options: SpeechRenderOptions) => options.designedVoice ?? (options.voiceId ? voices.find(options.voiceId) : undefined);
  const pitchFor = (options: SpeechRenderOptions): number =>
    (voiceOf(options)?.pitchHz ?? DEFAULT_PITCH_HZ) * (options.seed === undefined ? 1 : seedVariation(options.seed).pitchFactor);
  if (name === 'espeak' && espeakInstalled()) {
    const voiceFor = (options: SpeechRenderOptions): string => {
      const voice = voiceOf(options);
      const variant = voice?.espeakVoice.split('+')[1];
      // An explicit language wins over the voice's own (the service reads the text in that language).
      const base = (options.language ? espeakLanguage(options.language) : undefined) ?? voice?.espeakVoice.split('+')[0] ?? 'en-us';
      return variant ? `${base}+${variant}` : base;
    };
    return withSeedGain(createEspeakEngine(voiceFor, pitchFor));
  }
  return withSeedGain(createSyntheticEngine(pitchFor));
}

/** A seeded take also differs in level (the pitch differs inside each engine). */
function withSeedGain(engine: SpeechEngine): SpeechEngine {
  return {
    name: engine.name,
    async render(text, options) {
      const speech = await engine.render(text, options);
      if (options.seed !== undefined) applySeedGain(speech.samples, options.seed);
      return speech;
    },
  };
}

/** espeak-ng voice names for BCP-47 languages it speaks; undefined for the ones it does not. */
const ESPEAK_FOR_LANGUAGE: Record<string, string> = {
  en: 'en-us', 'en-gb': 'en-gb', 'en-us': 'en-us', es: 'es', 'es-419': 'es-419', 'es-mx': 'es-419', fr: 'fr-fr',
  de: 'de', it: 'it', ja: 'ja', ko: 'ko', zh: 'cmn', 'zh-cn': 'cmn', pt: 'pt', 'pt-br': 'pt-br', ru: 'ru',
  nl: 'nl', pl: 'pl', hi: 'hi', he: 'he', ar: 'ar',
};

function espeakLanguage(language: string): string | undefined {
  const tag = language.toLowerCase().replace(/_/g, '-');
  return ESPEAK_FOR_LANGUAGE[tag] ?? ESPEAK_FOR_LANGUAGE[tag.split('-')[0]!];
}
