// Sample-rate conversion for s16 mono: a polyphase FIR (Kaiser-windowed sinc) for a rational
// ratio L/M, streaming with state carried across chunks. The low-pass sits below the lower of
// the two Nyquist frequencies, so downsampling does not alias and upsampling does not image.
// The STT API takes 8–48 kHz, so this is only needed above 48 kHz or when a rate is requested.
import type { PcmSource } from './source.js';

export interface ResamplerOptions {
  /** Input samples each output sample looks at (filter length per phase). */
  tapsPerPhase?: number;
  /** Kaiser window beta: stopband attenuation (~8.6 → ~85 dB, ~6.8 → ~70 dB). */
  kaiserBeta?: number;
}

/**
 * Defaults measured in bench/audio-resample.ts: 48 taps, beta 7 gives about 70 dB of stopband
 * attenuation with the stopband starting at the output's Nyquist frequency, and costs under
 * 5 CPU-seconds per hour of 44.1 kHz audio converted to 16 kHz.
 */
export const DEFAULT_TAPS_PER_PHASE = 48;
export const DEFAULT_KAISER_BETA = 7;
/**
 * A ratio like 44100→44101 would need 44101 phases; beyond this many the phase is quantized
 * (a timing error under 1/MAX_PHASES of a sample, far below audibility).
 */
const MAX_PHASES = 4096;
/** Kaiser's transition-width constant: Δf ≈ (A − 8) / (2.285 · 2π · taps), with A from beta. */
const KAISER_WIDTH_FACTOR = 2.285 * 2 * Math.PI;

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly up: number; // L
  private readonly down: number; // M
  private readonly taps: number; // K
  private readonly half: number; // H
  private readonly phases: number;
  private readonly coefficients: Float64Array;
  /** Pending input samples; buffer[0] is absolute input index `bufferStart`. */
  private buffer: Float64Array;
  private bufferLength = 0;
  private bufferStart: number;
  /** Next output: its centre input index i0 and phase p, with output time = i0 + p/L. */
  private nextIndex = 0;
  private nextPhase = 0;
  private outputs = 0;
  private inputs = 0;
  private oddByte?: number;
  private flushed = false;

  constructor(inRate: number, outRate: number, options: ResamplerOptions = {}) {
    if (!Number.isInteger(inRate) || inRate <= 0 || !Number.isInteger(outRate) || outRate <= 0) {
      throw new RangeError(`invalid resampling ${inRate} → ${outRate} Hz`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const divisor = gcd(inRate, outRate);
    this.up = outRate / divisor;
    this.down = inRate / divisor;
    // Rounded up to a multiple of 4 taps for the unrolled inner loop.
    this.half = Math.ceil((options.tapsPerPhase ?? DEFAULT_TAPS_PER_PHASE) / 4) * 2;
    this.taps = this.half * 2;
    this.phases = Math.min(this.up, MAX_PHASES);
    this.coefficients = designFilter(inRate, outRate, this.half, this.phases, options.kaiserBeta ?? DEFAULT_KAISER_BETA);
    // Samples before the start are silence: prime with H − 1 zeros so output 0 is centred on input 0.
    this.buffer = new Float64Array(Math.max(4096, this.taps * 2));
    this.bufferLength = this.half - 1;
    this.bufferStart = -(this.half - 1);
  }

  /** Feeds s16le bytes (any length; a split sample is carried over); returns s16le output. */
  process(chunk: Buffer): Buffer {
    if (this.flushed) throw new Error('resampler already flushed');
    let bytes = chunk;
    if (this.oddByte !== undefined) {
      bytes = Buffer.concat([Buffer.from([this.oddByte]), chunk]);
      this.oddByte = undefined;
    }
    const samples = bytes.length >> 1;
    if (bytes.length & 1) this.oddByte = bytes[bytes.length - 1];
    this.reserve(samples);
    const buffer = this.buffer;
    let at = this.bufferLength;
    // Little-endian s16 assembled by hand: much faster than readInt16LE, and any alignment works.
    for (let i = 0, b = 0; i < samples; i++, b += 2) buffer[at++] = ((bytes[b]! | (bytes[b + 1]! << 8)) << 16) >> 16;
    this.bufferLength = at;
    this.inputs += samples;
    return this.drain(Number.POSITIVE_INFINITY);
  }

  /** Ends the stream: returns the remaining output, so total output ≈ input × out/in. */
  flush(): Buffer {
    if (this.flushed) return Buffer.alloc(0);
    this.flushed = true;
    const total = Math.ceil((this.inputs * this.up) / this.down);
    // Silence after the end lets the last outputs see a full window.
    this.reserve(this.taps);
    this.buffer.fill(0, this.bufferLength, this.bufferLength + this.taps);
    this.bufferLength += this.taps;
    return this.drain(total);
  }

  private drain(limit: number): Buffer {
    const { taps, half, up, down, phases, coefficients, buffer } = this;
    const available = this.bufferLength;
    const estimate = Math.max(0, Math.ceil(((available - taps + 1) * up) / down) + 2);
    const maxCount = Math.min(estimate, Math.max(0, limit - this.outputs));
    const out = new Int16Array(maxCount);
    let count = 0;
    let index = this.nextIndex;
    let phase = this.nextPhase;
    const exactPhases = phases === up;
    const bufferStart = this.bufferStart;
    while (count < maxCount) {
      const start = index - half + 1 - bufferStart;
      if (start + taps > available) break;
      const base = (exactPhases ? phase : Math.floor((phase * phases) / up)) * taps;
      // Four independent sums: the CPU overlaps the multiply-adds (taps is a multiple of 4).
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      let acc3 = 0;
      for (let k = 0; k < taps; k += 4) {
        acc0 += buffer[start + k]! * coefficients[base + k]!;
        acc1 += buffer[start + k + 1]! * coefficients[base + k + 1]!;
        acc2 += buffer[start + k + 2]! * coefficients[base + k + 2]!;
        acc3 += buffer[start + k + 3]! * coefficients[base + k + 3]!;
      }
      const value = Math.round(acc0 + acc1 + (acc2 + acc3));
      out[count] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
      count++;
      phase += down;
      if (phase >= up) {
        index += Math.floor(phase / up);
        phase %= up;
      }
    }
    this.nextIndex = index;
    this.nextPhase = phase;
    this.outputs += count;
    // Keep only what future outputs need (from index − H + 1 on).
    const keepFrom = Math.min(index - half + 1 - this.bufferStart, available);
    if (keepFrom > 0) {
      buffer.copyWithin(0, keepFrom, available);
      this.bufferLength = available - keepFrom;
      this.bufferStart += keepFrom;
    }
    // Int16Array is platform-endian; every platform Node supports is little-endian.
    return Buffer.from(out.buffer, 0, count * 2);
  }

  private reserve(extra: number): void {
    const needed = this.bufferLength + extra;
    if (needed <= this.buffer.length) return;
    const grown = new Float64Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.bufferLength));
    this.buffer = grown;
  }
}

/**
 * Coefficients for `phases` sub-sample offsets, `2·half` taps each, laid out phase by phase. Each
 * phase is normalized to sum 1, so DC passes at exactly unity gain whatever the phase.
 */
function designFilter(inRate: number, outRate: number, half: number, phases: number, beta: number): Float64Array {
  const taps = half * 2;
  // All in cycles per input sample. The stopband starts at the lower Nyquist frequency; the
  // passband ends one transition width below it.
  const nyquist = 0.5 * Math.min(1, outRate / inRate);
  const attenuationDb = beta / 0.1102 + 8.7; // Kaiser's beta formula, inverted (A > 50 dB)
  const transition = Math.min(nyquist * 0.5, (attenuationDb - 8) / (KAISER_WIDTH_FACTOR * taps));
  const cutoff = nyquist - transition / 2;
  const coefficients = new Float64Array(phases * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p < phases; p++) {
    let sum = 0;
    for (let d = 0; d < taps; d++) {
      // Distance in input samples from this output's time to input sample d of its window.
      const t = p / phases + (half - 1 - d);
      const x = t / half;
      const window = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
      const value = 2 * cutoff * sinc(2 * cutoff * t) * window;
      coefficients[p * taps + d] = value;
      sum += value;
    }
    for (let d = 0; d < taps; d++) coefficients[p * taps + d] = coefficients[p * taps + d]! / sum;
  }
  return coefficients;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/** Modified Bessel function of the first kind, order 0 (series; converges fast for beta ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarter = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= quarter / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Resamples a whole buffer (tests, small inputs). */
export function resampleBuffer(pcm: Buffer, inRate: number, outRate: number, options?: ResamplerOptions): Buffer {
  if (inRate === outRate) return Buffer.from(pcm);
  const resampler = new Resampler(inRate, outRate, options);
  return Buffer.concat([resampler.process(pcm), resampler.flush()]);
}

/** A source at `outRate`; the same source when the rates already match. */
export function resampleSource(source: PcmSource, outRate: number, options?: ResamplerOptions): PcmSource {
  if (source.sampleRateHertz === outRate) return source;
  async function* samples(): AsyncGenerator<Buffer> {
    const resampler = new Resampler(source.sampleRateHertz, outRate, options);
    try {
      for await (const chunk of source) {
        const out = resampler.process(chunk);
        if (out.length > 0) yield out;
      }
      const tail = resampler.flush();
      if (tail.length > 0) yield tail;
    } finally {
      source.close();
    }
  }
  return { sampleRateHertz: outRate, channels: 1, close: () => source.close(), [Symbol.asyncIterator]: () => samples() };
}
