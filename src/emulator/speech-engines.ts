// Chooses and builds a speech engine; voices shape the pitch (synthetic) or espeak voice.
import type { SpeechEngine, SpeechEngineName } from './speech.js';
import { createEspeakEngine, espeakInstalled } from './speech-espeak.js';
import { createSyntheticEngine } from './speech-synthetic.js';
import { createVoiceCatalogue } from './voice-catalogue.js';
import type { VoiceCatalogue } from './voice-types.js';

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
      if (voice) return voice.espeakVoice;
      return language ? language.toLowerCase() : 'en-us';
    };
    return createEspeakEngine(voiceFor, pitchFor);
  }
  return createSyntheticEngine(pitchFor);
}
