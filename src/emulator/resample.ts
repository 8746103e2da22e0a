// A small windowed-sinc resampler for 16-bit mono audio. The emulator needs it to bring espeak-ng's
// 22050 Hz output to the requested rate and to feed MP3/Opus at rates those codecs support.
// Linear interpolation would alias audibly; a Blackman-windowed sinc with a cutoff just below the
// lower Nyquist frequency does not, and is fast enough for seconds-long utterances.

/** Zero crossings of the sinc on each side of the centre tap. */
const SINC_HALF_WIDTH_ZEROS = 12;
/** Fraction of the lower Nyquist frequency kept (the rest is the transition band). */
const CUTOFF_FRACTION = 0.92;

export function resample(samples: Int16Array, fromHz: number, toHz: number): Int16Array {
  if (fromHz === toHz || samples.length === 0) return samples.slice();
  const ratio = toHz / fromHz;
  const outLength = Math.max(1, Math.round(samples.length * ratio));
  const out = new Int16Array(outLength);
  // Cutoff in cycles per input sample; scale the kernel when downsampling.
  const cutoff = (CUTOFF_FRACTION * Math.min(1, ratio)) / 2;
  const halfWidth = Math.ceil(SINC_HALF_WIDTH_ZEROS / (2 * cutoff));
  for (let n = 0; n < outLength; n++) {
    const centre = n / ratio;
    const first = Math.max(0, Math.ceil(centre - halfWidth));
    const last = Math.min(samples.length - 1, Math.floor(centre + halfWidth));
    let acc = 0;
    let weightSum = 0;
    for (let k = first; k <= last; k++) {
      const x = k - centre;
      const w = kernel(x, cutoff, halfWidth);
      acc += samples[k]! * w;
      weightSum += w;
    }
    // Normalising by the weight sum keeps DC gain at 1 also near the edges.
    const value = weightSum !== 0 ? acc / weightSum : 0;
    out[n] = value > 32767 ? 32767 : value < -32768 ? -32768 : Math.round(value);
  }
  return out;
}

function kernel(x: number, cutoff: number, halfWidth: number): number {
  const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
  const t = (x + halfWidth) / (2 * halfWidth); // 0..1 across the window
  const window = 0.42 - 0.5 * Math.cos(2 * Math.PI * t) + 0.08 * Math.cos(4 * Math.PI * t);
  return sinc * window;
}
