// A minimal FLAC writer: `fLaC`, one STREAMINFO block, then fixed-size frames whose single subframe
// is VERBATIM (the raw samples). No compression, but a valid file every decoder reads, and no bit
// packing needed because 16-bit verbatim samples stay byte aligned.
import type { AudioEncoder } from './encoders.js';
import { crc16, crc8 } from './crc.js';

const BLOCK_SAMPLES = 4096;
const BLOCK_SIZE_CODE_4096 = 0b1100;
const BLOCK_SIZE_CODE_16BIT = 0b0111; // block size - 1 follows as 16 bits
const CHANNELS_MONO = 0b0000;
const SAMPLE_SIZE_16 = 0b100;
const SUBFRAME_VERBATIM = 0b000001 << 1; // zero pad bit, type, no wasted bits
const STREAMINFO_BYTES = 34;

const SAMPLE_RATE_CODES: Record<number, number> = {
  88200: 0b0001, 176400: 0b0010, 192000: 0b0011, 8000: 0b0100, 16000: 0b0101, 22050: 0b0110,
  24000: 0b0111, 32000: 0b1000, 44100: 0b1001, 48000: 0b1010, 96000: 0b1011,
};

export function createFlacEncoder(sampleRateHertz: number, totalSamples?: number): AudioEncoder {
  let pending = new Int16Array(0);
  let headerSent = false;
  let frameNumber = 0;
  let finished = false;

  const streamHeader = (): Buffer => {
    headerSent = true;
    const info = Buffer.alloc(4 + 4 + STREAMINFO_BYTES);
    info.write('fLaC', 0, 'ascii');
    info[4] = 0x80; // last metadata block, type 0 = STREAMINFO
    info.writeUIntBE(STREAMINFO_BYTES, 5, 3);
    const minBlock = totalSamples !== undefined && totalSamples < BLOCK_SAMPLES ? Math.max(16, totalSamples) : BLOCK_SAMPLES;
    info.writeUInt16BE(minBlock, 8);
    info.writeUInt16BE(BLOCK_SAMPLES, 10);
    // min/max frame size 0 = unknown (bytes 12..17 stay zero)
    // 20 bits rate, 3 bits channels-1, 5 bits bits-per-sample-1, 36 bits total samples (0 = unknown)
    const packed = (BigInt(sampleRateHertz) << 44n) | (0n << 41n) | (15n << 36n) | BigInt(totalSamples ?? 0);
    info.writeBigUInt64BE(packed, 18);
    // MD5 (bytes 26..41) all zero = not computed, which the format allows
    return info;
  };

  const frame = (samples: Int16Array): Buffer => {
    const header: number[] = [0xff, 0xf8];
    const blockCode = samples.length === BLOCK_SAMPLES ? BLOCK_SIZE_CODE_4096 : BLOCK_SIZE_CODE_16BIT;
    let rateCode = SAMPLE_RATE_CODES[sampleRateHertz];
    const rateExtra: number[] = [];
    if (rateCode === undefined) {
      if (sampleRateHertz % 1000 === 0 && sampleRateHertz / 1000 < 256) {
        rateCode = 0b1100;
        rateExtra.push(sampleRateHertz / 1000);
      } else {
        rateCode = 0b1101;
        rateExtra.push((sampleRateHertz >> 8) & 0xff, sampleRateHertz & 0xff);
      }
    }
    header.push((blockCode << 4) | rateCode);
    header.push((CHANNELS_MONO << 4) | (SAMPLE_SIZE_16 << 1));
    header.push(...utf8Number(frameNumber++));
    if (blockCode === BLOCK_SIZE_CODE_16BIT) header.push(((samples.length - 1) >> 8) & 0xff, (samples.length - 1) & 0xff);
    header.push(...rateExtra);
    header.push(crc8(Uint8Array.from(header)));
    const body = Buffer.alloc(header.length + 1 + samples.length * 2 + 2);
    Buffer.from(header).copy(body, 0);
    body[header.length] = SUBFRAME_VERBATIM;
    let offset = header.length + 1;
    for (const sample of samples) {
      body.writeInt16BE(sample, offset);
      offset += 2;
    }
    body.writeUInt16BE(crc16(body.subarray(0, offset)), offset);
    return body;
  };

  const drain = (flush: boolean): Buffer[] => {
    const frames: Buffer[] = [];
    let offset = 0;
    while (pending.length - offset >= BLOCK_SAMPLES) {
      frames.push(frame(pending.subarray(offset, offset + BLOCK_SAMPLES)));
      offset += BLOCK_SAMPLES;
    }
    if (flush && offset < pending.length) {
      frames.push(frame(pending.subarray(offset)));
      offset = pending.length;
    }
    pending = pending.slice(offset);
    return frames;
  };

  return {
    encoding: 'FLAC',
    sampleRateHertz,
    write(samples) {
      if (finished || samples.length === 0) return Buffer.alloc(0);
      const all = new Int16Array(pending.length + samples.length);
      all.set(pending);
      all.set(samples, pending.length);
      pending = all;
      const prefix = headerSent ? [] : [streamHeader()];
      return Buffer.concat([...prefix, ...drain(false)]);
    },
    end() {
      if (finished) return Buffer.alloc(0);
      finished = true;
      const prefix = headerSent ? [] : [streamHeader()];
      return Buffer.concat([...prefix, ...drain(true)]);
    },
  };
}

/** FLAC's "UTF-8 like" coding of the frame number (up to 36 bits). */
function utf8Number(value: number): number[] {
  if (value < 0x80) return [value];
  const bytes: number[] = [];
  let v = value;
  let count = 0;
  while (true) {
    count += 1;
    bytes.unshift(0x80 | (v & 0x3f));
    v = Math.floor(v / 64);
    const maxFirst = 0x3f >> count; // payload bits left in the leading byte
    if (v <= maxFirst) {
      const lead = (0xff << (7 - count)) & 0xff;
      bytes.unshift(lead | v);
      return bytes;
    }
  }
}
