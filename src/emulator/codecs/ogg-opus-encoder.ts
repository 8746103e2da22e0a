// OGG_OPUS: libopus (through opusscript) in an Ogg container per RFC 7845: an OpusHead page, an
// OpusTags page, then audio pages whose granule positions count 48 kHz samples.
import OpusScript from 'opusscript';
import type { AudioEncoder } from './encoders.js';
import { OggPageWriter } from './ogg.js';
import { resample } from './resample.js';

type OpusRate = 8000 | 12000 | 16000 | 24000 | 48000;
const OPUS_RATES_HZ: readonly OpusRate[] = [8000, 12000, 16000, 24000, 48000];
const FRAME_MS = 20;
/** Granule positions are always in 48 kHz samples (RFC 7845 §4). */
const GRANULE_RATE_HZ = 48000;
/** libopus' encoder delay at 48 kHz; decoders drop this many samples at the start. */
const PRE_SKIP_48K = 312;
export const DEFAULT_OPUS_BIT_RATE = 64000;
const VENDOR = 'inworld-emulator';
/** A fixed stream serial keeps output byte-identical across runs. */
const OGG_SERIAL = 0x1e5e7a1c;

export function createOggOpusEncoder(sampleRateHertz: number, bitRate = DEFAULT_OPUS_BIT_RATE): AudioEncoder {
  const codecRate: OpusRate = OPUS_RATES_HZ.includes(sampleRateHertz as OpusRate) ? (sampleRateHertz as OpusRate) : 48000;
  const frameSamples = (codecRate * FRAME_MS) / 1000;
  const granulePerFrame = (GRANULE_RATE_HZ * FRAME_MS) / 1000;
  const opus = new OpusScript(codecRate, 1, OpusScript.Application.AUDIO, { wasm: true });
  opus.setBitrate(bitRate);
  const ogg = new OggPageWriter(OGG_SERIAL);
  let pending = new Int16Array(0);
  let headersSent = false;
  let frames = 0;
  let inputSamples = 0; // at codecRate
  let finished = false;

  const headers = (): Buffer => {
    headersSent = true;
    const head = Buffer.alloc(19);
    head.write('OpusHead', 0, 'ascii');
    head[8] = 1; // version
    head[9] = 1; // channels
    head.writeUInt16LE(PRE_SKIP_48K, 10);
    head.writeUInt32LE(sampleRateHertz, 12); // original input rate, informational
    head.writeInt16LE(0, 16); // output gain
    head[18] = 0; // mapping family: mono/stereo
    const vendor = Buffer.from(VENDOR, 'utf8');
    const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
    tags.write('OpusTags', 0, 'ascii');
    tags.writeUInt32LE(vendor.length, 8);
    vendor.copy(tags, 12);
    tags.writeUInt32LE(0, 12 + vendor.length);
    return Buffer.concat([ogg.pages([head], 0n, { bos: true }), ogg.pages([tags], 0n)]);
  };

  /** Granule after each of the last `count` packets encoded (frames counts them all). */
  const granulesOf = (count: number): bigint[] =>
    Array.from({ length: count }, (_, i) => BigInt((frames - count + i + 1) * granulePerFrame));

  const encodeFrames = (samples: Int16Array, flush: boolean): Buffer[] => {
    const all = new Int16Array(pending.length + samples.length);
    all.set(pending);
    all.set(samples, pending.length);
    const packets: Buffer[] = [];
    let offset = 0;
    while (all.length - offset >= frameSamples || (flush && offset < all.length)) {
      const frame = new Int16Array(frameSamples);
      frame.set(all.subarray(offset, Math.min(all.length, offset + frameSamples)));
      offset += frameSamples;
      packets.push(Buffer.from(opus.encode(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength), frameSamples)));
      frames += 1;
    }
    pending = all.slice(Math.min(offset, all.length));
    return packets;
  };

  return {
    encoding: 'OGG_OPUS',
    sampleRateHertz,
    write(samples) {
      if (finished || samples.length === 0) return Buffer.alloc(0);
      const input = codecRate === sampleRateHertz ? samples : resample(samples, sampleRateHertz, codecRate);
      inputSamples += input.length;
      const prefix = headersSent ? Buffer.alloc(0) : headers();
      const packets = encodeFrames(input, false);
      if (packets.length === 0) return prefix;
      return Buffer.concat([prefix, ogg.pages(packets, granulesOf(packets.length))]);
    },
    end() {
      if (finished) return Buffer.alloc(0);
      finished = true;
      const prefix = headersSent ? Buffer.alloc(0) : headers();
      const packets = encodeFrames(new Int16Array(0), true);
      // The decoder drops PRE_SKIP samples at the start, so the frames must reach past the input by
      // that much; pad with silent frames, then let the last granule trim the padding (RFC 7845 §4.5).
      const endGranule = PRE_SKIP_48K + Math.round((inputSamples * GRANULE_RATE_HZ) / codecRate);
      while (frames * granulePerFrame < endGranule) packets.push(...encodeFrames(new Int16Array(frameSamples), false));
      opus.delete();
      // Every stream must end with an EOS page; an empty one is allowed.
      const granules = granulesOf(packets.length);
      if (granules.length > 0) granules[granules.length - 1] = BigInt(endGranule);
      return Buffer.concat([prefix, ogg.pages(packets, granules.length > 0 ? granules : BigInt(endGranule), { eos: true })]);
    },
  };
}
