// The emulator's one WAV module: the canonical 44-byte RIFF/WAVE header for 16-bit mono PCM that
// its encoders write, and the one RIFF chunk walker that reads WAV files (espeak-ng's output, and
// WAV uploads to the STT endpoint). Independent of the client's audio code on purpose.
import { PCM16_BYTES_PER_SAMPLE } from './sample-rates.js';

export const WAV_HEADER_BYTES = 44;
const BITS_PER_SAMPLE = 16;
const FMT_CHUNK_BYTES = 16;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Size field value used when the length is unknown (streaming), as most streaming writers do. */
export const WAV_UNKNOWN_SIZE = 0xffffffff;

/** A header describing `dataBytes` bytes of 16-bit mono samples at `sampleRateHertz`. */
export function wavHeader(dataBytes: number, sampleRateHertz: number): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  const unknown = dataBytes >= WAV_UNKNOWN_SIZE - 36;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(unknown ? WAV_UNKNOWN_SIZE : dataBytes + 36, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(FMT_CHUNK_BYTES, 16);
  header.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRateHertz, 24);
  header.writeUInt32LE(sampleRateHertz * PCM16_BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(PCM16_BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(BITS_PER_SAMPLE, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(unknown ? WAV_UNKNOWN_SIZE : dataBytes, 40);
  return header;
}

/** Samples as s16le bytes (a copy, so later writes to the array do not change it). */
export function samplesToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * PCM16_BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * PCM16_BYTES_PER_SAMPLE);
  return out;
}

/** A WAV file the emulator cannot read; the message says why. */
export class WavFormatError extends Error {}

/** 16-bit PCM audio read from a WAV file: interleaved s16le bytes. */
export interface Pcm16Wav {
  sampleRateHertz: number;
  channels: number;
  pcm: Buffer;
}

export function isWav(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE';
}

/**
 * Walks the RIFF chunks for `fmt ` and `data` (any order of other chunks around them) and accepts
 * 16-bit PCM only. A data size of 0 or 0xFFFFFFFF (left so by streaming writers, espeak-ng
 * --stdout among them) or past the end means "to the end of the bytes".
 */
export function readPcm16Wav(bytes: Buffer): Pcm16Wav {
  if (!isWav(bytes)) throw new WavFormatError('not a RIFF/WAVE file');
  let offset = 12;
  let format: { tag: number; channels: number; rate: number; bits: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= FMT_CHUNK_BYTES && body + FMT_CHUNK_BYTES <= bytes.length) {
      format = {
        tag: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new WavFormatError('WAV data chunk comes before its fmt chunk');
      if ((format.tag !== WAVE_FORMAT_PCM && format.tag !== WAVE_FORMAT_EXTENSIBLE) || format.bits !== BITS_PER_SAMPLE) {
        throw new WavFormatError(`the emulator reads 16-bit PCM WAV only (got format ${format.tag}, ${format.bits} bits)`);
      }
      const end = size === 0 || size === WAV_UNKNOWN_SIZE ? bytes.length : Math.min(bytes.length, body + size);
      return { sampleRateHertz: format.rate, channels: Math.max(1, format.channels), pcm: bytes.subarray(body, end) };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError('WAV file has no data chunk');
}

/** The first channel of interleaved s16le bytes, as samples. */
export function firstChannel(wav: Pcm16Wav): Int16Array {
  const frameBytes = PCM16_BYTES_PER_SAMPLE * wav.channels;
  const count = Math.floor(wav.pcm.length / frameBytes);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = wav.pcm.readInt16LE(i * frameBytes);
  return samples;
}
