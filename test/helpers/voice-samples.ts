// Recordings to clone voices from: a WAV tone of any length (16-bit mono), the same as MP3 (the
// emulator's own encoder, whose output every decoder reads), and bytes that are not audio.
import { encodeAll } from '../../src/emulator/index.js';

export const SAMPLE_RATE_HZ = 16_000;

function tone(seconds: number, hz: number, amplitude: number): Int16Array {
  const samples = new Int16Array(Math.round(seconds * SAMPLE_RATE_HZ));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE_HZ));
  return samples;
}

/** A WAV file of a `seconds`-long tone. */
export function wavSample(seconds: number, hz = 180, amplitude = 8000): Buffer {
  return encodeAll({ encoding: 'WAV', sampleRateHertz: SAMPLE_RATE_HZ, totalSamples: Math.round(seconds * SAMPLE_RATE_HZ) }, tone(seconds, hz, amplitude));
}

/** An MP3 file of a `seconds`-long tone. */
export function mp3Sample(seconds: number, hz = 180): Buffer {
  return encodeAll({ encoding: 'MP3', sampleRateHertz: SAMPLE_RATE_HZ, bitRate: 32_000 }, tone(seconds, hz, 8000));
}

/** Text that no decoder takes for audio. */
export function notAudio(): Buffer {
  return Buffer.from('This is a shopping list, not a recording.\nEggs\nMilk\n'.repeat(40));
}
