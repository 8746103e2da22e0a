// The synthetic speech engine: a deterministic, speech-like signal (a voiced buzz through two
// vowel-like formants per syllable, with silences between words and longer ones at punctuation).
// It recognises nothing and says nothing; it only has the rhythm of speech so that durations,
// chunking and timestamps behave like the real service's. Pure function of its inputs.
import type { RenderedSpeech, SpeechEngine, SpeechRenderOptions, TimedText } from './speech.js';
import { LEADING_SILENCE_SECONDS, splitWords, syllableCount, TRAILING_SILENCE_SECONDS, type WordUnit } from './text-units.js';

const SYLLABLE_SECONDS = 0.17;
const DEFAULT_PITCH_HZ = 140;
const PEAK_AMPLITUDE = 9000;
/** Attack/release of each syllable, seconds, so syllables do not click. */
const SYLLABLE_RAMP_SECONDS = 0.015;
/** (F1, F2) pairs of a few vowels, Hz. */
const VOWEL_FORMANTS_HZ: readonly [number, number][] = [
  [730, 1090], [270, 2290], [530, 1840], [570, 840], [300, 870], [660, 1720], [440, 1020],
];

export function createSyntheticEngine(pitchFor: (options: SpeechRenderOptions) => number = () => DEFAULT_PITCH_HZ): SpeechEngine {
  return {
    name: 'synthetic',
    async render(text, options) {
      return renderSynthetic(text, options, pitchFor(options));
    },
  };
}

export function renderSynthetic(text: string, options: SpeechRenderOptions, pitchHz = DEFAULT_PITCH_HZ): RenderedSpeech {
  const rate = options.sampleRateHertz;
  const speed = options.speakingRate && options.speakingRate > 0 ? options.speakingRate : 1;
  const words = splitWords(text);
  return assembleSpeech(text, words, words.map((word) => cachedWord(word.text, word.syllables, rate, speed, pitchHz)), rate, speed);
}

/**
 * Rendered words, shared between renders: a word's audio depends only on (token, syllables,
 * rate, speed, pitch), and real text repeats words all the time, so the emulator's single event
 * loop does not recompute the same sine sums for every generation (100 concurrent streams of
 * similar text were ~3 ms of synthesis each, all on one core). Bounded by total samples; the
 * oldest entries go first. Entries are never handed out: assembleSpeech copies them.
 */
const WORD_CACHE_MAX_SAMPLES = 8_000_000; // 16 MB of Int16
const wordCache = new Map<string, Int16Array>();
let wordCacheSamples = 0;

function cachedWord(token: string, syllables: number, rate: number, speed: number, pitchHz: number): Int16Array {
  const key = `${rate}|${speed}|${pitchHz}|${syllables}|${token}`;
  const hit = wordCache.get(key);
  if (hit) return hit;
  const audio = renderWord(token, syllables, rate, speed, pitchHz);
  if (audio.length > WORD_CACHE_MAX_SAMPLES / 16) return audio;
  wordCache.set(key, audio);
  wordCacheSamples += audio.length;
  for (const [oldKey, old] of wordCache) {
    if (wordCacheSamples <= WORD_CACHE_MAX_SAMPLES) break;
    wordCache.delete(oldKey);
    wordCacheSamples -= old.length;
  }
  return audio;
}

/**
 * Lays rendered words out in time, the same for every engine: leading silence, each word followed
 * by its pause (scaled by the speaking rate), trailing silence; word and character timings follow
 * where the audio really is.
 */
export function assembleSpeech(text: string, words: readonly WordUnit[], wordAudio: readonly Int16Array[], rate: number, speed: number): RenderedSpeech {
  const pieces: Int16Array[] = [];
  const timedWords: TimedText[] = [];
  let cursor = 0; // samples so far
  const silence = (seconds: number): void => {
    const n = Math.round((seconds / speed) * rate);
    if (n > 0) {
      pieces.push(new Int16Array(n));
      cursor += n;
    }
  };
  silence(LEADING_SILENCE_SECONDS);
  words.forEach((word, index) => {
    // A `<break>` lasts its own time at any speaking rate.
    if (word.leadingBreakSeconds) silence(word.leadingBreakSeconds * speed);
    const audio = wordAudio[index]!;
    timedWords.push({ text: word.text, startSeconds: cursor / rate, endSeconds: (cursor + audio.length) / rate });
    pieces.push(audio);
    cursor += audio.length;
    silence(word.pauseAfterSeconds);
    if (word.breakSeconds) silence(word.breakSeconds * speed);
  });
  silence(words.length > 0 ? TRAILING_SILENCE_SECONDS : 0);
  const samples = concat(pieces, cursor);
  return { samples, sampleRateHertz: rate, durationSeconds: cursor / rate, words: timedWords, characters: characterTimes(text, words, timedWords, cursor / rate) };
}

/** One word's synthetic audio alone (no surrounding silence), e.g. as a fallback for another engine. */
export function renderSyntheticWord(token: string, rate: number, speed = 1, pitchHz = DEFAULT_PITCH_HZ): Int16Array {
  return cachedWord(token, syllableCount(token), rate, speed, pitchHz).slice();
}

function renderWord(token: string, syllables: number, rate: number, speed: number, pitchHz: number): Int16Array {
  const syllableSamples = Math.round((SYLLABLE_SECONDS / speed) * rate);
  const out = new Int16Array(syllableSamples * syllables);
  const seed = hash(token);
  const ramp = Math.max(1, Math.round(SYLLABLE_RAMP_SECONDS * rate));
  for (let s = 0; s < syllables; s++) {
    const [f1, f2] = VOWEL_FORMANTS_HZ[(seed + s * 7) % VOWEL_FORMANTS_HZ.length]!;
    // A falling pitch contour across the word, as in declarative speech.
    const f0 = pitchHz * (1.08 - (0.12 * s) / Math.max(1, syllables));
    const base = s * syllableSamples;
    for (let i = 0; i < syllableSamples; i++) {
      const t = i / rate;
      const envelope = Math.min(1, i / ramp, (syllableSamples - 1 - i) / ramp);
      // Harmonics of f0 near each formant carry most energy: a crude source-filter model.
      const h1 = Math.max(1, Math.round(f1 / f0));
      const h2 = Math.max(1, Math.round(f2 / f0));
      const value =
        0.45 * Math.sin(2 * Math.PI * f0 * t) +
        0.35 * Math.sin(2 * Math.PI * f0 * h1 * t) +
        0.2 * Math.sin(2 * Math.PI * f0 * h2 * t);
      out[base + i] = Math.round(PEAK_AMPLITUDE * envelope * value);
    }
  }
  return out;
}

/**
 * Character timings: a word's characters share its span evenly; whitespace and anything between
 * words takes the silence between them. Every character (code point) of the text appears once, in order.
 */
export function characterTimes(text: string, words: readonly { start: number; end: number }[], timed: readonly TimedText[], totalSeconds: number): TimedText[] {
  const chars = Array.from(text.matchAll(/[\s\S]/gu), (m) => ({ text: m[0], at: m.index }));
  const out: TimedText[] = [];
  let next = 0; // index into chars
  const spread = (untilOffset: number, from: number, to: number): void => {
    const first = next;
    while (next < chars.length && chars[next]!.at < untilOffset) next += 1;
    const span = next - first;
    for (let k = 0; k < span; k++) {
      out.push({ text: chars[first + k]!.text, startSeconds: from + ((to - from) * k) / span, endSeconds: from + ((to - from) * (k + 1)) / span });
    }
  };
  let gapStart = 0;
  words.forEach((word, w) => {
    const time = timed[w]!;
    spread(word.start, gapStart, time.startSeconds);
    spread(word.end, time.startSeconds, time.endSeconds);
    gapStart = time.endSeconds;
  });
  spread(text.length, gapStart, Math.max(gapStart, totalSeconds));
  return out;
}

export function concat(pieces: readonly Int16Array[], total?: number): Int16Array {
  const out = new Int16Array(total ?? pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** FNV-1a, so the same word always gets the same vowels. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
