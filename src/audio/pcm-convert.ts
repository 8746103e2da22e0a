// Converts interleaved samples of any common PCM layout to s16le mono, chunk by chunk: a frame
// split across two chunks is carried over, so any chunking of the input gives the same output.
import { endianness } from 'node:os';

export type SampleEncoding = 'uint8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64' | 'alaw' | 'mulaw';

export interface SampleLayout {
  encoding: SampleEncoding;
  channels: number;
  /** Bytes per sample in the stream (the container size; 3 for packed 24-bit). */
  bytesPerSample: number;
}

const INT16_MAX = 32767;
const INT16_MIN = -32768;

export function bytesPerSampleOf(encoding: SampleEncoding): number {
  switch (encoding) {
    case 'uint8':
    case 'alaw':
    case 'mulaw':
      return 1;
    case 'int16':
      return 2;
    case 'int24':
      return 3;
    case 'int32':
    case 'float32':
      return 4;
    case 'float64':
      return 8;
  }
}

/** A stateful converter: feed chunks, get s16le mono; `flush()` reports bytes of a dangling partial frame. */
export interface MonoConverter {
  convert(chunk: Buffer): Buffer;
  /** Bytes left over that do not make a whole frame (dropped at end of input). */
  pendingBytes(): number;
}

export function createMonoConverter(layout: SampleLayout): MonoConverter {
  const { channels, encoding } = layout;
  const bytesPerSample = layout.bytesPerSample;
  const frameBytes = channels * bytesPerSample;
  const read = sampleReader(encoding, bytesPerSample);
  let carry: Buffer | undefined;

  return {
    convert(chunk: Buffer): Buffer {
      let data = carry ? Buffer.concat([carry, chunk]) : chunk;
      const frames = Math.floor(data.length / frameBytes);
      const whole = frames * frameBytes;
      carry = whole < data.length ? Buffer.from(data.subarray(whole)) : undefined;
      data = data.subarray(0, whole);
      // 16-bit mono is already what we want: no per-sample work.
      if (encoding === 'int16' && channels === 1) return Buffer.from(data);
      // The common multi-channel case (stereo 16-bit WAV) through typed arrays: about 5x faster
      // than reading one sample at a time, which dominated `transcribe`'s CPU on long files.
      if (encoding === 'int16' && LITTLE_ENDIAN) return downmixInt16(data, frames, channels);
      const out = Buffer.allocUnsafe(frames * 2);
      let offset = 0;
      for (let frame = 0; frame < frames; frame++) {
        let sum = 0;
        for (let channel = 0; channel < channels; channel++) {
          sum += read(data, offset);
          offset += bytesPerSample;
        }
        const value = Math.round(sum / channels);
        out.writeInt16LE(value > INT16_MAX ? INT16_MAX : value < INT16_MIN ? INT16_MIN : value, frame * 2);
      }
      return out;
    },
    pendingBytes: () => carry?.length ?? 0,
  };
}

const LITTLE_ENDIAN = endianness() === 'LE';

function downmixInt16(data: Buffer, frames: number, channels: number): Buffer {
  // An Int16Array view needs an even byte offset; a slice of a larger buffer may not have one.
  const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
  const input = new Int16Array(aligned.buffer, aligned.byteOffset, frames * channels);
  const output = new Int16Array(frames);
  for (let frame = 0, index = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += input[index++]!;
    // Int16Array assignment truncates; round like the general path (an average never overflows).
    output[frame] = Math.round(sum / channels);
  }
  return Buffer.from(output.buffer, output.byteOffset, output.byteLength);
}

/** Reads one sample at `offset`, scaled to the int16 range (as a float, not yet rounded). */
function sampleReader(encoding: SampleEncoding, bytesPerSample: number): (data: Buffer, offset: number) => number {
  switch (encoding) {
    case 'uint8':
      return (data, offset) => (data[offset]! - 128) * 256;
    case 'int16':
      return (data, offset) => data.readInt16LE(offset);
    case 'int24':
      // Top 24 bits of a wider container (extensible WAV may put 24 valid bits in 32).
      return bytesPerSample === 3
        ? (data, offset) => data.readIntLE(offset, 3) / 256
        : (data, offset) => data.readInt32LE(offset) / 65536;
    case 'int32':
      return (data, offset) => data.readInt32LE(offset) / 65536;
    case 'float32':
      return (data, offset) => data.readFloatLE(offset) * 32768;
    case 'float64':
      return (data, offset) => data.readDoubleLE(offset) * 32768;
    case 'alaw':
      return (data, offset) => ALAW_TABLE[data[offset]!]!;
    case 'mulaw':
      return (data, offset) => MULAW_TABLE[data[offset]!]!;
  }
}

/** G.711 µ-law byte to linear 16-bit (ITU-T G.711). */
function decodeMulaw(byte: number): number {
  const value = ~byte & 0xff;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return value & 0x80 ? -magnitude : magnitude;
}

/** G.711 A-law byte to linear 16-bit (ITU-T G.711). */
function decodeAlaw(byte: number): number {
  const value = byte ^ 0x55;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return value & 0x80 ? magnitude : -magnitude;
}

const MULAW_TABLE = Int16Array.from({ length: 256 }, (_, byte) => decodeMulaw(byte));
const ALAW_TABLE = Int16Array.from({ length: 256 }, (_, byte) => decodeAlaw(byte));
