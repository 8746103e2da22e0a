// Audio encoders for every Inworld audioEncoding, behind one incremental interface so the HTTP
// stream and the WebSocket TTS emulator can feed samples as they are produced:
//
//   createEncoder(options: EncoderOptions): AudioEncoder
//   encodeAll(options: EncoderOptions, samples: Int16Array): Buffer    // whole file in one go
//
//   interface AudioEncoder {
//     readonly encoding: EmulatorAudioEncoding;
//     readonly sampleRateHertz: number;                  // rate of the samples you feed
//     write(samples: Int16Array): Buffer;             // bytes ready now (may be empty)
//     end(): Buffer;                                  // remaining bytes (trailer, last frames)
//   }
//
// Framing, as the service sends each encoding:
// - PCM: raw s16le, every write returns 2*n bytes (always even).
// - LINEAR16: every non-empty write returns a complete 44-byte WAV header whose sizes describe that
//   chunk alone, followed by the chunk's samples. An empty write returns nothing (never a header-only chunk).
// - WAV: the first non-empty write starts with one WAV header; later writes are raw samples. The header's
//   sizes are true when `totalSamples` is given, else the streaming placeholder 0xFFFFFFFF.
// - MULAW / ALAW: G.711 bytes, no header (the caller feeds 8 kHz samples; other rates are resampled).
// - MP3: MPEG frames (lamejs); concatenated output is one playable file.
// - OGG_OPUS: an Ogg stream (OpusHead, OpusTags, audio pages); concatenated output is one .ogg file.
// - FLAC: `fLaC` + STREAMINFO, then frames of VERBATIM subframes with CRC-8/CRC-16.

export type EmulatorAudioEncoding = 'LINEAR16' | 'PCM' | 'WAV' | 'MULAW' | 'ALAW' | 'MP3' | 'OGG_OPUS' | 'FLAC';

export const EMULATOR_AUDIO_ENCODINGS: readonly EmulatorAudioEncoding[] = [
  'LINEAR16', 'PCM', 'WAV', 'MULAW', 'ALAW', 'MP3', 'OGG_OPUS', 'FLAC',
];

export interface EncoderOptions {
  encoding: EmulatorAudioEncoding;
  /** Rate of the samples written to the encoder. */
  sampleRateHertz: number;
  /** Bits per second for MP3 and OGG_OPUS. Default 128000 (MP3) / 64000 (Opus). */
  bitRate?: number;
  /** Total samples that will be written, when known: makes WAV/FLAC header sizes true. */
  totalSamples?: number;
}

export interface AudioEncoder {
  readonly encoding: EmulatorAudioEncoding;
  readonly sampleRateHertz: number;
  write(samples: Int16Array): Buffer;
  end(): Buffer;
}

export { createEncoder, encodeAll } from './encoder-factory.js';
