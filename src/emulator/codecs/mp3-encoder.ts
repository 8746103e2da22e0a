// MP3 through lamejs (pure JS). lamejs only encodes the MPEG sample rates, so other rates are
// resampled to the nearest one first.
import { Mp3Encoder } from '@breezystack/lamejs';
import type { AudioEncoder } from './encoders.js';
import { resample } from './resample.js';

const MP3_SAMPLE_RATES_HZ = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
/** MPEG-2/2.5 (rates below 32 kHz) top out at 160 kbps; MPEG-1 at 320 kbps. */
const MPEG2_MAX_KBPS = 160;
const MPEG1_MAX_KBPS = 320;
const MIN_KBPS = 8;
export const DEFAULT_MP3_BIT_RATE = 128000;

export function nearestMp3Rate(sampleRateHertz: number): number {
  let best = MP3_SAMPLE_RATES_HZ[0]!;
  for (const rate of MP3_SAMPLE_RATES_HZ) if (Math.abs(rate - sampleRateHertz) < Math.abs(best - sampleRateHertz)) best = rate;
  return best;
}

export function createMp3Encoder(sampleRateHertz: number, bitRate = DEFAULT_MP3_BIT_RATE): AudioEncoder {
  const codecRate = nearestMp3Rate(sampleRateHertz);
  const maxKbps = codecRate >= 32000 ? MPEG1_MAX_KBPS : MPEG2_MAX_KBPS;
  const kbps = Math.max(MIN_KBPS, Math.min(maxKbps, Math.round(bitRate / 1000)));
  const lame = new Mp3Encoder(1, codecRate, kbps);
  const toBuffer = (bytes: Uint8Array | Int8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    encoding: 'MP3',
    sampleRateHertz,
    write(samples) {
      if (samples.length === 0) return Buffer.alloc(0);
      const input = codecRate === sampleRateHertz ? samples : resample(samples, sampleRateHertz, codecRate);
      return Buffer.from(toBuffer(lame.encodeBuffer(input)));
    },
    end() {
      return Buffer.from(toBuffer(lame.flush()));
    },
  };
}
