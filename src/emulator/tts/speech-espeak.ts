// The espeak-ng speech engine: real (robotic) speech. Each word is rendered by its own espeak-ng
// run and the words are joined with the same pauses the synthetic engine uses, so word and
// character timestamps are exact. Words are cached, runs are limited in parallel, and any failed
// run falls back to the synthetic rendering of that word, so a broken install degrades, never fails.
import { spawn, spawnSync } from 'node:child_process';
import { resample } from '../codecs/resample.js';
import type { RenderedSpeech, SpeechEngine, SpeechRenderOptions } from './speech.js';
import { seedVariation } from './voice-variation.js';
import { assembleSpeech, renderSyntheticWord } from './speech-synthetic.js';
import { splitWords } from './text-units.js';
import { firstChannel, readPcm16Wav } from '../codecs/wav.js';

const ESPEAK_BINARY = 'espeak-ng';
/** espeak-ng's default speed, words per minute, which we scale by speakingRate. */
const ESPEAK_BASE_WPM = 175;
const MAX_PARALLEL_RUNS = 4;
const RUN_TIMEOUT_MS = 10_000;
const CACHE_MAX_WORDS = 2000;
/** Samples quieter than this (of 32767) at a word's edges are trimmed as espeak's padding. */
const EDGE_SILENCE_THRESHOLD = 300;
/** Keep a little of the trimmed edge so consonants are not clipped. */
const EDGE_KEEP_SECONDS = 0.01;

let available: boolean | undefined;

/** Whether espeak-ng runs here (probed once). */
export function espeakInstalled(): boolean {
  if (available === undefined) {
    try {
      available = spawnSync(ESPEAK_BINARY, ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
    } catch {
      available = false;
    }
  }
  return available;
}

interface WordAudio {
  samples: Int16Array;
  sampleRateHertz: number;
}

/**
 * `binary` is the espeak-ng executable (overridable so tests can exercise the fallback). Every
 * word whose run fails is rendered by the synthetic engine instead.
 */
export function createEspeakEngine(
  voiceFor: (options: SpeechRenderOptions) => string,
  pitchFor: (options: SpeechRenderOptions) => number,
  binary = ESPEAK_BINARY,
): SpeechEngine {
  const cache = new Map<string, Promise<WordAudio | undefined>>();
  let running = 0;
  const queue: (() => void)[] = [];

  const slot = async (): Promise<() => void> => {
    if (running >= MAX_PARALLEL_RUNS) await new Promise<void>((resolve) => queue.push(resolve));
    running += 1;
    return () => {
      running -= 1;
      queue.shift()?.();
    };
  };

  const word = (text: string, voice: string, wpm: number, pitch: number | undefined): Promise<WordAudio | undefined> => {
    const key = `${voice}\u0000${wpm}\u0000${pitch ?? ''}\u0000${text}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = slot().then(async (release) => {
        try {
          return await runEspeak(binary, text, voice, wpm, pitch);
        } finally {
          release();
        }
      });
      cache.set(key, entry);
      if (cache.size > CACHE_MAX_WORDS) cache.delete(cache.keys().next().value!);
    }
    return entry;
  };

  return {
    name: 'espeak',
    async render(text: string, options: SpeechRenderOptions): Promise<RenderedSpeech> {
      const rate = options.sampleRateHertz;
      const speed = options.speakingRate && options.speakingRate > 0 ? options.speakingRate : 1;
      const voice = voiceFor(options);
      const wpm = Math.round(ESPEAK_BASE_WPM * speed);
      // A seeded take speaks a little higher or lower; without a seed, espeak's own default.
      const pitch = options.seed === undefined ? undefined : seedVariation(options.seed).espeakPitch;
      const words = splitWords(text);
      const rendered = await Promise.all(words.map((w) => word(w.text, voice, wpm, pitch)));
      // A word espeak could not render falls back to the synthetic voice, so timing stays intact.
      const audio = words.map((w, i) => {
        const spoken = rendered[i];
        return spoken ? resample(spoken.samples, spoken.sampleRateHertz, rate) : renderSyntheticWord(w.text, rate, speed, pitchFor(options));
      });
      return assembleSpeech(text, words, audio, rate, speed);
    },
  };
}

function runEspeak(binary: string, text: string, voice: string, wpm: number, pitch: number | undefined): Promise<WordAudio | undefined> {
  return new Promise((resolve) => {
    let child;
    const args = ['--stdout', '-v', voice, '-s', String(wpm), ...(pitch === undefined ? [] : ['-p', String(pitch)])];
    try {
      child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    timer.unref();
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return resolve(undefined);
      try {
        const wav = readPcm16Wav(Buffer.concat(chunks));
        resolve({ samples: trimEdges(firstChannel(wav), wav.sampleRateHertz), sampleRateHertz: wav.sampleRateHertz });
      } catch {
        resolve(undefined);
      }
    });
    child.stdin.on('error', () => {});
    // Text on stdin, so a word starting with "-" is never read as an option.
    child.stdin.end(text);
  });
}

function trimEdges(samples: Int16Array, rate: number): Int16Array {
  let first = 0;
  let last = samples.length - 1;
  while (first <= last && Math.abs(samples[first]!) < EDGE_SILENCE_THRESHOLD) first += 1;
  while (last >= first && Math.abs(samples[last]!) < EDGE_SILENCE_THRESHOLD) last -= 1;
  if (first > last) return samples;
  const keep = Math.round(EDGE_KEEP_SECONDS * rate);
  return samples.slice(Math.max(0, first - keep), Math.min(samples.length, last + 1 + keep));
}
