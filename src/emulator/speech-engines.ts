// Placeholder, replaced by the synthetic + espeak engines in the next commit.
import type { SpeechEngine, SpeechEngineName } from './speech.js';

export function espeakAvailable(): boolean {
  return false;
}

export function createSpeechEngine(name: SpeechEngineName): SpeechEngine {
  return {
    name,
    async render(_text, options) {
      return { samples: new Int16Array(0), sampleRateHz: options.sampleRateHz, durationSeconds: 0, words: [], characters: [] };
    },
  };
}
