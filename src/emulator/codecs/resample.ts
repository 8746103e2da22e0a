// A small windowed-sinc resampler for 16-bit mono audio. The emulator needs it to bring espeak-ng's
// 22050 Hz output to the requested rate and to feed MP3/Opus/G.711 at rates those codecs support.
// Linear interpolation would alias audibly; a Blackman-windowed sinc with a cutoff just below the
// lower Nyquist frequency does not. The kernel is tabulated once per rate pair and read with
// linear interpolation between table points, which keeps it cheap enough for long utterances.

/** Zero crossings of the sinc on each side of the centre tap. */
const SINC_HALF_WIDTH_ZEROS = 10;
/** Fraction of the lower Nyquist frequency kept (the rest is the transition band). */
const CUTOFF_FRACTION = 0.9;
/** Table points per input sample of kernel offset. */
const TABLE_STEPS_PER_SAMPLE = 512;

interface Kernel {
  halfWidth: number;
  table: Float64Array;
}

const kernels = new Map<string, Kernel>();

function kernelFor(fromHz: number, toHz: number): Kernel {
  const key = `${fromHz}:${toHz}`;
  let kernel = kernels.get(key);
  if (!kernel) {
    const ratio = toHz / fromHz;
    // Cutoff in cycles per input sample; lowered when downsampling so nothing folds back.
    const cutoff = (CUTOFF_FRACTION * Math.min(1, ratio)) / 2;
    const halfWidth = Math.ceil(SINC_HALF_WIDTH_ZEROS / (2 * cutoff));
    const table = new Float64Array(halfWidth * TABLE_STEPS_PER_SAMPLE + 2);
    for (let i = 0; i < table.length; i++) {
      const x = i / TABLE_STEPS_PER_SAMPLE;
      const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      const t = Math.min(1, x / halfWidth); // 0 at the centre, 1 at the edge
      const window = 0.42 + 0.5 * Math.cos(Math.PI * t) + 0.08 * Math.cos(2 * Math.PI * t);
      table[i] = sinc * window;
    }
    kernel = { halfWidth, table };
    kernels.set(key, kernel);
  }
  return kernel;
}

export function resample(samples: Int16Array, fromHz: number, toHz: number): Int16Array {
  if (fromHz === toHz || samples.length === 0) return samples.slice();
  const ratio = toHz / fromHz;
  const outLength = Math.max(1, Math.round(samples.length * ratio));
  const out = new Int16Array(outLength);
  const { halfWidth, table } = kernelFor(fromHz, toHz);
  const last = samples.length - 1;
  for (let n = 0; n < outLength; n++) {
    const centre = n / ratio;
    const first = Math.max(0, Math.ceil(centre - halfWidth));
    const end = Math.min(last, Math.floor(centre + halfWidth));
    let acc = 0;
    let weightSum = 0;
    for (let k = first; k <= end; k++) {
      const position = Math.abs(k - centre) * TABLE_STEPS_PER_SAMPLE;
      const index = position | 0;
      const frac = position - index;
      const w = table[index]! + (table[index + 1]! - table[index]!) * frac;
      acc += samples[k]! * w;
      weightSum += w;
    }
    // Normalising by the weight sum keeps DC gain at 1, also near the edges.
    const value = weightSum !== 0 ? acc / weightSum : 0;
    out[n] = value > 32767 ? 32767 : value < -32768 ? -32768 : Math.round(value);
  }
  return out;
}
