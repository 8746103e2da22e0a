// The two ways a TTS-2 request changes the voice without a catalogue entry:
//  - `voiceDesign.designPrompt`: an ad-hoc voice. The emulator derives one from the words of the
//    description, deterministically (the same description is always the same voice): a pitch and
//    an espeak-ng variant, higher for a woman, lower for a man, anywhere for neither.
//  - `seed`: one take among many. The same seed gives the same samples; another seed shifts the
//    pitch a little and changes the level, so the bytes differ as a new generation's would. With
//    no seed the emulator stays as it always was (deterministic), which the real service is not.

/** A voice made for one request: what the engines need of a catalogue voice. */
export interface DesignedVoice {
  pitchHz: number;
  espeakVoice: string;
}

/** How one seed changes a rendering. */
export interface SeedVariation {
  /** Multiplies the synthetic engine's pitch, 0.94..1.06. */
  pitchFactor: number;
  /** espeak-ng's `-p` (its default is 50), 42..58. */
  espeakPitch: number;
  /** Multiplies every sample, 0.82..0.99. */
  gain: number;
}

const FEMININE = /\b(female|woman|women|girl|lady|feminine|she|her|mother|grandmother|soprano)\b/i;
const MASCULINE = /\b(male|man|men|boy|gentleman|masculine|he|his|father|grandfather|baritone|bass)\b/i;
const FEMALE_VARIANTS = ['f1', 'f2', 'f3', 'f4', 'f5'];
const MALE_VARIANTS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
const PITCH_RANGES_HZ = { female: [175, 255], male: [85, 145], neutral: [110, 220] } as const;

/** The voice a description stands for (always the same one for the same description). */
export function designVoice(designPrompt: string): DesignedVoice {
  const h = hash(designPrompt.trim().toLowerCase());
  const kind = FEMININE.test(designPrompt) ? 'female' : MASCULINE.test(designPrompt) ? 'male' : 'neutral';
  const [low, high] = PITCH_RANGES_HZ[kind];
  const pitchHz = low + (h % (high - low + 1));
  const variants = kind === 'female' ? FEMALE_VARIANTS : kind === 'male' ? MALE_VARIANTS : [...MALE_VARIANTS, ...FEMALE_VARIANTS];
  return { pitchHz, espeakVoice: `en-us+${variants[(h >>> 8) % variants.length]!}` };
}

/** What a seed changes (a pure function of the seed). */
export function seedVariation(seed: number): SeedVariation {
  const h = hash(`seed:${seed}`);
  return {
    pitchFactor: 0.94 + (h % 1201) / 10_000,
    espeakPitch: 42 + ((h >>> 11) % 17),
    gain: 0.82 + ((h >>> 3) % 1000) / 5900,
  };
}

/** Scales the samples in place by the seed's gain. */
export function applySeedGain(samples: Int16Array, seed: number): void {
  const { gain } = seedVariation(seed);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i]! * gain);
}

/** FNV-1a with a final mix, so nearby inputs land far apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
