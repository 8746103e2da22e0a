// The public library surface: the client, the error tree, and one entry point per API. Nothing
// here loads `ws` or `undici` at import time; each call loads what it uses.
export { InworldClient, type ClientOptions } from './client.js';
export * from './core/errors.js';
export { resolveConnection, defaultConfigPath, type ConnectionOptions, type ResolvedConnection } from './core/config.js';
export type { Logger } from './core/log.js';
export { VERSION } from './core/version.js';
export { withRetry, backoffDelayMs, isRetryableError, type WithRetryOptions } from './core/retry.js';

// Text-to-speech over HTTP.
export {
  synthesize,
  synthesizeStream,
  type AudioFormat,
  type SynthesisCallOptions,
  type SynthesisChunk,
  type SynthesisResult,
  type Usage,
} from './tts/http.js';
export {
  DEFAULT_MODEL_ID,
  DEFAULT_VOICE_ID,
  TTS_HTTP_ENCODINGS,
  TTS_WS_ENCODINGS,
  validateSynthesisOptions,
  type AudioConfig,
  type AudioEncoding,
  type DeliveryMode,
  type SynthesisOptions,
  type TimestampType,
} from './tts/options.js';
export type { CharTiming, TimedText, Timestamps, WordTiming } from './tts/timestamps.js';
export { SentenceSegmenter, chunkText, splitSentences } from './tts/sentences.js';
export {
  DEFAULT_AMBIGUOUS_FLUSH_MS,
  DEFAULT_IDLE_FLUSH_MS,
  liveSentences,
  type LiveSentenceOptions,
} from './tts/live-sentences.js';

// Text-to-speech over the bidirectional WebSocket, with a connection pool.
export { CONTEXTS_PER_CONNECTION, DEFAULT_MAX_CONNECTIONS, TtsPool, type TtsPoolOptions, type TtsPoolStats } from './tts/pool.js';
export { TtsStream, type TtsStreamChunk, type TtsStreamOptions } from './tts/ws-stream.js';
export { buildWsCreateConfig, type TtsStreamSynthesisOptions } from './tts/ws-options.js';
export { SentenceSpeaker, type SentenceSpeakerOptions, type SpeakerEvent } from './tts/ws-speaker.js';
export { splitForSendText } from './tts/ws-text.js';
export { SEND_TEXT_MAX_CHARS, TTS_WS_PATH } from './tts/ws-protocol.js';

// Speech-to-text.
export { SttSession, type SttSessionOptions } from './stt/session.js';
export { END_TURN, transcribeStream, type SttAudioInput } from './stt/transcribe.js';
export { transcribeClip, type BatchOptions, type BatchTranscription } from './stt/rest.js';
export type { SttEvent, SttEventType } from './stt/events.js';
export type { VoiceProfile, VoiceProfileEntry, WordTimestamp } from './stt/protocol.js';
export { DEFAULT_STT_LANGUAGE, DEFAULT_STT_MODEL, type SttOptions } from './stt/options.js';

// Voices.
export { listVoices, listVoicesDetailed, type ListVoicesOptions } from './voices/list.js';
export type { Voice } from './voices/types.js';
