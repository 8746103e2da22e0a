// Picks the encoder for an audioEncoding and implements the simple ones (PCM, LINEAR16, WAV, G.711).
import type { AudioEncoder, EncoderOptions } from './encoders.js';
import { createFlacEncoder } from './flac-encoder.js';
import { encodeAlaw, encodeMulaw } from './g711.js';
import { createMp3Encoder } from './mp3-encoder.js';
import { createOggOpusEncoder } from './ogg-opus-encoder.js';
import { resample } from './resample.js';
import { samplesToBytes, WAV_UNKNOWN_SIZE, wavHeader } from './wav.js';
import { G711_SAMPLE_RATE_HZ, PCM16_BYTES_PER_SAMPLE } from './sample-rates.js';

/** G.711 is defined at 8 kHz only. */
const EMPTY = Buffer.alloc(0);

export function createEncoder(options: EncoderOptions): AudioEncoder {
  const { encoding, sampleRateHertz } = options;
  switch (encoding) {
    case 'PCM':
      return { encoding, sampleRateHertz, write: samplesToBytes, end: () => EMPTY };
    case 'LINEAR16':
      // The service sends every LINEAR16 chunk as a complete WAV file of its own; empty writes send nothing.
      return {
        encoding,
        sampleRateHertz,
        write: (samples) => (samples.length === 0 ? EMPTY : Buffer.concat([wavHeader(samples.length * PCM16_BYTES_PER_SAMPLE, sampleRateHertz), samplesToBytes(samples)])),
        end: () => EMPTY,
      };
    case 'WAV': {
      let headerSent = false;
      const dataBytes = options.totalSamples !== undefined ? options.totalSamples * PCM16_BYTES_PER_SAMPLE : WAV_UNKNOWN_SIZE;
      return {
        encoding,
        sampleRateHertz,
        write(samples) {
          if (samples.length === 0) return EMPTY;
          const body = samplesToBytes(samples);
          if (headerSent) return body;
          headerSent = true;
          return Buffer.concat([wavHeader(dataBytes, sampleRateHertz), body]);
        },
        // A response with no samples at all still gets a valid (empty) WAV file.
        end: () => (headerSent ? EMPTY : ((headerSent = true), wavHeader(0, sampleRateHertz))),
      };
    }
    case 'MULAW':
    case 'ALAW': {
      const companding = encoding === 'MULAW' ? encodeMulaw : encodeAlaw;
      return {
        encoding,
        sampleRateHertz,
        write: (samples) => companding(sampleRateHertz === G711_SAMPLE_RATE_HZ ? samples : resample(samples, sampleRateHertz, G711_SAMPLE_RATE_HZ)),
        end: () => EMPTY,
      };
    }
    case 'MP3':
      return createMp3Encoder(sampleRateHertz, options.bitRate);
    case 'OGG_OPUS':
      return createOggOpusEncoder(sampleRateHertz, options.bitRate);
    case 'FLAC':
      return createFlacEncoder(sampleRateHertz, options.totalSamples);
    default: {
      const never: never = encoding;
      throw new Error(`unsupported encoding ${String(never)}`);
    }
  }
}

export function encodeAll(options: EncoderOptions, samples: Int16Array): Buffer {
  const encoder = createEncoder({ ...options, totalSamples: options.totalSamples ?? samples.length });
  return Buffer.concat([encoder.write(samples), encoder.end()]);
}
