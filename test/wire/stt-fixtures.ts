// Audio for STT tests: tones the emulator's energy VAD hears as speech, and digital silence.
// Built in code so every test knows exactly where its turns begin and end.

export const RATE_16K = 16_000;

/** s16le mono (or `channels` identical channels) sine at -12 dBFS. */
export function tone(ms: number, rate = RATE_16K, channels = 1, frequencyHz = 440): Buffer {
  const frames = Math.round((rate * ms) / 1000);
  const out = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i += 1) {
    const value = Math.round(Math.sin((2 * Math.PI * frequencyHz * i) / rate) * 0.25 * 32767);
    for (let c = 0; c < channels; c += 1) out.writeInt16LE(value, (i * channels + c) * 2);
  }
  return out;
}

export function silence(ms: number, rate = RATE_16K, channels = 1): Buffer {
  return Buffer.alloc(Math.round((rate * ms) / 1000) * channels * 2);
}

/** Speech/silence pattern: [toneMs, silenceMs, toneMs, …]. */
export function pattern(segmentsMs: number[], rate = RATE_16K, channels = 1): Buffer {
  return Buffer.concat(segmentsMs.map((ms, i) => (i % 2 === 0 ? tone(ms, rate, channels) : silence(ms, rate, channels))));
}

/** Splits a buffer into pieces of `bytes` (the last may be shorter), as a source would deliver it. */
export function* pieces(buffer: Buffer, bytes: number): Generator<Buffer> {
  for (let offset = 0; offset < buffer.length; offset += bytes) yield buffer.subarray(offset, offset + bytes);
}
