// Just enough WAV reading for the emulated REST STT endpoint: walks the RIFF chunks for `fmt `
// and `data` and accepts 16-bit PCM only (the emulator's VAD reads s16le). Kept inside the
// emulator so it stays independent of the client's audio code.

import { invalidArgument } from '../server/grpc.js';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface EmulatorWav {
  sampleRateHertz: number;
  channels: number;
  pcm: Buffer;
}

export function isWav(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE';
}

export function readWav(bytes: Buffer): EmulatorWav {
  let offset = 12;
  let format: { tag: number; channels: number; rate: number; bits: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= bytes.length) {
      format = {
        tag: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw invalidArgument('WAV data chunk comes before its fmt chunk');
      if ((format.tag !== WAVE_FORMAT_PCM && format.tag !== WAVE_FORMAT_EXTENSIBLE) || format.bits !== 16) {
        throw invalidArgument(`the emulator reads 16-bit PCM WAV only (got format ${format.tag}, ${format.bits} bits)`);
      }
      // A streaming writer may leave the size at 0 or 0xFFFFFFFF: take what is there.
      const end = size === 0 || size === 0xffffffff ? bytes.length : Math.min(bytes.length, body + size);
      return { sampleRateHertz: format.rate, channels: Math.max(1, format.channels), pcm: bytes.subarray(body, end) };
    }
    offset = body + size + (size % 2);
  }
  throw invalidArgument('WAV file has no data chunk');
}
