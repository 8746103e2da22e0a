// Placeholder, replaced by the real encoders in the next commit.
import type { AudioEncoder, EncoderOptions } from './encoders.js';

export function createEncoder(options: EncoderOptions): AudioEncoder {
  return {
    encoding: options.encoding,
    sampleRateHz: options.sampleRateHz,
    write: (samples) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
    end: () => Buffer.alloc(0),
  };
}

export function encodeAll(options: EncoderOptions, samples: Int16Array): Buffer {
  const encoder = createEncoder(options);
  return Buffer.concat([encoder.write(samples), encoder.end()]);
}
