// Chooses and builds a speech engine; voices shape the pitch (synthetic) or espeak voice.
import type { SpeechEngine, SpeechEngineName } from './speech.js';
import { createEspeakEngine, espeakInstalled } from './speech-espeak.js';
import { createSyntheticEngine } from './speech-synthetic.js';
import { createVoiceCatalogue } from '../voices/catalogue.js';
import type { VoiceCatalogue } from '../voices/types.js';

const DEFAULT_PITCH_HZ = 150;

/** Whether espeak-ng is installed and runs (probed once per process). */
export function espeakAvailable(): boolean {
  return espeakInstalled();
}

/** `espeak` silently becomes `synthetic` when espeak-ng is not installed. */
export function createSpeechEngine(name: SpeechEngineName, voices: VoiceCatalogue = createVoiceCatalogue()): SpeechEngine {
  const pitchFor = (voiceId: string | undefined): number => (voiceId ? voices.find(voiceId)?.pitchHz : undefined) ?? DEFAULT_PITCH_HZ;
  if (name === 'espeak' && espeakInstalled()) {
    const voiceFor = (voiceId: string | undefined, language: string | undefined): string => {
      const voice = voiceId ? voices.find(voiceId) : undefined;
      const variant = voice?.espeakVoice.split('+')[1];
      // An explicit language wins over the voice's own (the service reads the text in that language).
      const base = (language ? espeakLanguage(language) : undefined) ?? voice?.espeakVoice.split('+')[0] ?? 'en-us';
      return variant ? `${base}+${variant}` : base;
    };
    return createEspeakEngine(voiceFor, pitchFor);
  }
  return createSyntheticEngine(pitchFor);
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
