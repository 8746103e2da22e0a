// Sample-rate facts of the service's TTS output, shared by the HTTP and WebSocket request checks
// and the encoders, and the size of the 16-bit PCM sample everything in the emulator renders.

/** Lowest and highest `sampleRateHertz` a TTS request may ask for. */
export const MIN_TTS_SAMPLE_RATE_HZ = 8_000;
export const MAX_TTS_SAMPLE_RATE_HZ = 48_000;
/** Output rate when a TTS request names none (HTTP and WebSocket alike). */
export const DEFAULT_TTS_SAMPLE_RATE_HZ = 48_000;
/** MULAW and ALAW (G.711) are telephony audio: 8 kHz and nothing else. */
export const G711_SAMPLE_RATE_HZ = 8_000;
/** Bytes in one 16-bit PCM sample of one channel. */
export const PCM16_BYTES_PER_SAMPLE = 2;
