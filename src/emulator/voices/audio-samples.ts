// What the emulator makes of one clone sample: is it audio (16-bit PCM WAV, or MP3 judged by
// its frame headers), how long does it play, and the service's verdict: errors for what cannot
// be cloned from (not audio, under 3 s, over 15 s, over 4 MB), warnings for what can but poorly.
import { firstChannel, isWav, readPcm16Wav, WavFormatError } from '../codecs/wav.js';

export const MIN_SAMPLE_SECONDS = 3;
export const MAX_SAMPLE_SECONDS = 15;
export const MAX_SAMPLE_BYTES = 4 * 1024 * 1024;
/** Below this a clone works but sounds less like the speaker. */
const SHORT_SAMPLE_SECONDS = 5;
/** A peak under this fraction of full scale is "almost silent". */
const QUIET_PEAK = 0.02;

export interface SampleVerdict {
  errors: string[];
  warnings: string[];
  durationSeconds?: number;
  /** The first channel's samples and rate when the audio was WAV (used to pick a pitch). */
  pcm?: { samples: Int16Array; sampleRateHertz: number };
}

const MP3_KBPS_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_KBPS_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** Seconds of MPEG layer III audio, from its frame headers; undefined when no run of frames is found. */
export function mp3Seconds(bytes: Buffer): number | undefined {
  let offset = 0;
  if (bytes.toString('latin1', 0, 3) === 'ID3' && bytes.length >= 10) {
    offset = 10 + (((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f));
  }
  let seconds = 0;
  let frames = 0;
  while (offset + 4 <= bytes.length) {
    const frame = mp3Frame(bytes, offset);
    if (!frame) {
      if (frames > 0) break;
      offset += 1;
      continue;
    }
    frames += 1;
    seconds += frame.samples / frame.rate;
    offset += frame.bytes;
  }
  return frames >= 2 ? seconds : undefined;
}

function mp3Frame(bytes: Buffer, at: number): { bytes: number; samples: number; rate: number } | undefined {
  if (bytes[at] !== 0xff || (bytes[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (bytes[at + 1]! >> 3) & 3;
  const layer = (bytes[at + 1]! >> 1) & 3;
  const bitrateIndex = bytes[at + 2]! >> 4;
  const rateIndex = (bytes[at + 2]! >> 2) & 3;
  // Layer III only (layer bits 01): what MP3 files are.
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const rate = MP3_RATES[version]![rateIndex]!;
  const kbps = (version === 3 ? MP3_KBPS_V1_L3 : MP3_KBPS_V2_L3)[bitrateIndex]!;
  const samples = version === 3 ? 1152 : 576;
  const padding = (bytes[at + 2]! >> 1) & 1;
  const length = Math.floor((samples / 8) * kbps * 1000 / rate) + padding;
  return length > 4 ? { bytes: length, samples, rate } : undefined;
}

function peakFraction(samples: Int16Array): number {
  let peak = 0;
  for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
  return peak / 32768;
}

/** The verdict on one decoded sample. */
export function judgeSample(audio: Buffer): SampleVerdict {
  const verdict: SampleVerdict = { errors: [], warnings: [] };
  if (audio.length === 0) {
    verdict.errors.push('The audio sample is empty');
    return verdict;
  }
  if (audio.length > MAX_SAMPLE_BYTES) {
    verdict.errors.push(`The audio sample is ${audio.length} bytes; at most ${MAX_SAMPLE_BYTES} bytes (4 MB) are accepted`);
    return verdict;
  }
  if (isWav(audio)) {
    try {
      const wav = readPcm16Wav(audio);
      const samples = firstChannel(wav);
      verdict.durationSeconds = samples.length / wav.sampleRateHertz;
      verdict.pcm = { samples, sampleRateHertz: wav.sampleRateHertz };
      if (wav.channels > 1) verdict.warnings.push(`The sample has ${wav.channels} channels; only the first is used`);
      if (samples.length > 0 && peakFraction(samples) < QUIET_PEAK) verdict.warnings.push('The sample is almost silent; record closer to the microphone');
    } catch (error) {
      verdict.errors.push(`The audio could not be decoded: ${error instanceof WavFormatError ? error.message : 'unreadable WAV'}`);
      return verdict;
    }
  } else {
    verdict.durationSeconds = mp3Seconds(audio);
    if (verdict.durationSeconds === undefined) {
      verdict.errors.push('The audio could not be decoded: send WAV or MP3');
      return verdict;
    }
  }
  const seconds = verdict.durationSeconds;
  if (seconds < MIN_SAMPLE_SECONDS) verdict.errors.push(`The audio is ${seconds.toFixed(1)} s long; at least ${MIN_SAMPLE_SECONDS} s of speech is needed`);
  else if (seconds > MAX_SAMPLE_SECONDS) verdict.errors.push(`The audio is ${seconds.toFixed(1)} s long; at most ${MAX_SAMPLE_SECONDS} s is accepted`);
  else if (seconds < SHORT_SAMPLE_SECONDS) verdict.warnings.push(`The audio is only ${seconds.toFixed(1)} s long; 10 to 15 s gives a closer clone`);
  return verdict;
}
