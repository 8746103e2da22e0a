// G.711 μ-law and A-law companding (ITU-T G.711), one byte per 16-bit sample.

const MULAW_BIAS = 0x21; // 0x84 in 16-bit terms, applied after the shift to 14 bits
const MULAW_CLIP = 8159;
const MULAW_SEGMENT_ENDS = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]!) return i;
  return ends.length;
}

export function linearToMulaw(sample: number): number {
  let value = sample >> 2; // 14-bit magnitude range
  let mask: number;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  if (value > MULAW_CLIP) value = MULAW_CLIP;
  value += MULAW_BIAS;
  const seg = segment(value, MULAW_SEGMENT_ENDS);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((value >> (seg + 1)) & 0x0f)) ^ mask;
}

export function linearToAlaw(sample: number): number {
  let value = sample >> 3; // 13-bit range
  let mask: number;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  const seg = segment(value, ALAW_SEGMENT_ENDS);
  if (seg >= 8) return 0x7f ^ mask;
  const mantissa = seg < 2 ? (value >> 1) & 0x0f : (value >> seg) & 0x0f;
  return ((seg << 4) | mantissa) ^ mask;
}

export function encodeMulaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i]!);
  return out;
}

export function encodeAlaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]!);
  return out;
}
