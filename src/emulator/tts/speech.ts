// Speech rendering for the emulator: text in, mono 16-bit samples plus REAL word and character
// timings out (the timings say where each word actually sits in the returned samples).
//
//   interface SpeechEngine {
//     readonly name: 'espeak' | 'synthetic';
//     render(text: string, options: SpeechRenderOptions): Promise<RenderedSpeech>;
//   }
//   createSpeechEngine(name: SpeechEngineName, voices?: VoiceCatalogue): SpeechEngine  // espeak falls back to synthetic
//   espeakAvailable(): boolean                                  // cached `espeak-ng --version` probe
//
// Times are seconds from the start of the rendered audio (callers add offsets for generations).
// The synthetic engine is a pure function of (text, sampleRateHertz, speakingRate, voice, seed): the
// same input always yields the same samples, so tests can compare bytes.

export type { SpeechEngineName } from '../server/options.js';
import type { SpeechEngineName } from '../server/options.js';
import type { DesignedVoice } from './voice-variation.js';

export interface SpeechRenderOptions {
  /** Output sample rate, 8000..48000 Hz. */
  sampleRateHertz: number;
  /** 0.5..1.5, scales duration (1.5 = faster = shorter). Default 1. */
  speakingRate?: number;
  /** Voice id; changes the synthetic pitch and the espeak voice variant. */
  voiceId?: string;
  /** BCP-47 language hint (espeak voice selection). */
  language?: string;
  /** A voice that is in no catalogue (a request's `voiceDesign`); wins over `voiceId`. */
  designedVoice?: DesignedVoice;
  /** The request's `seed`: the same seed gives the same samples, another a different take. */
  seed?: number;
}

/** One word or character with where it sits in the audio. */
export interface TimedText {
  text: string;
  startSeconds: number;
  endSeconds: number;
}

export interface RenderedSpeech {
  samples: Int16Array;
  sampleRateHertz: number;
  durationSeconds: number;
  /** Whitespace-separated words with attached punctuation, in order (the older documented WORD timestamp style). */
  words: TimedText[];
  /** Every character of the text, whitespace included, in order. */
  characters: TimedText[];
}

export interface SpeechEngine {
  readonly name: SpeechEngineName;
  render(text: string, options: SpeechRenderOptions): Promise<RenderedSpeech>;
}

export { createSpeechEngine, espeakAvailable } from './speech-engines.js';
