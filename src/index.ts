// The public library surface: the Inworld client class, the types its resources take and
// return, and the error tree. Everything else is internal (the CLI and tests import modules
// directly). Nothing here loads `ws` or `undici` at import time.
export { Inworld, type InworldOptions } from './inworld.js';
export type { TextToSpeech } from './resources/tts.js';
export type { SpeechToText } from './resources/stt.js';
export type { Voices } from './resources/voices.js';
export type { Logger } from './core/log.js';
export type { RetryInfo } from './core/retry.js';
export { VERSION } from './core/version.js';

// Errors: every failure is an InworldError; branch on the class or on `code`.
export {
  APIError,
  AudioDeviceError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  GrpcCode,
  InworldError,
  NotFoundError,
  PermissionDeniedError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UserAbortError,
  ValidationError,
  type APIErrorFields,
  type ConnectionErrorOptions,
  type InworldErrorOptions,
} from './core/errors.js';

// Text-to-speech.
export type { AudioFormat, SynthesisCallOptions, SynthesisChunk, SynthesisResult, Usage } from './tts/http-types.js';
export type { HeaderPatch } from './audio/part-joiner.js';
export {
  DELIVERY_MODES,
  TEXT_NORMALIZATION_VALUES,
  TIMESTAMP_TYPES,
  TTS_HTTP_ENCODINGS,
  TTS_WS_ENCODINGS,
  type AudioConfig,
  type AudioEncoding,
  type DeliveryMode,
  type SynthesisOptions,
  type TextNormalization,
  type TimestampType,
  type VoiceDesign,
} from './tts/options.js';
export { TTS_MODELS, type TtsModelInfo } from './tts/models.js';
export type { SynthesisWarning, SynthesisWarningCode, WarningListener } from './tts/model-checks.js';
export type { CharTiming, TimedText, Timestamps, WordTiming } from './tts/timestamps.js';
export type { TtsPool, TtsPoolOptions, TtsPoolStats } from './tts/pool.js';
export type { TtsStream, TtsStreamChunk, TtsStreamOptions } from './tts/ws-stream.js';
export type { TtsStreamSynthesisOptions } from './tts/ws-options.js';
export type { SentenceSpeaker, SentenceSpeakerOptions, SpeakerEvent } from './tts/ws-speaker.js';
export type { ResumableSpeech, ResumableSpeechOptions, SpeechEvent, SpokenWord } from './tts/resumable-speech.js';
export { liveSentences, type LiveSentenceOptions } from './tts/live-sentences.js';

// Server-side jobs (async and batch long-form synthesis).
export type { TtsJobs, JobDownloadTarget } from './resources/jobs.js';
export type { AsyncJobOptions, AsyncJobResult, JobRunOptions, Uninterruptible } from './tts/jobs/async-job.js';
export type { BatchJobItem, BatchJobResult, BatchItemOutcome } from './tts/jobs/batch-job.js';
export type { JobCallOptions, SubmittedJob, WaitOptions } from './tts/jobs/operations.js';
export type { AsyncJobResponse, BatchJobResponse, JobOperation, JobKind } from './tts/jobs/protocol.js';
export type { JobOutput, JobItemOutput, JobRecord, JobState } from './tts/jobs/records.js';
export type { BackoffOptions, JitterMode } from './core/retry.js';
export { ASYNC_MAX_TEXT_CHARS, ASYNC_ON_DEMAND_MAX_TEXT_CHARS } from './tts/jobs/protocol.js';
export { SignedUrlExpiredError } from './tts/jobs/download.js';

// Speech-to-text.
export { END_TURN, type SttAudioInput } from './stt/transcribe.js';
export type { SttSession, SttSessionOptions, SttSessionStats } from './stt/session.js';
export type { BatchOptions, BatchTranscription } from './stt/rest.js';
export type { SttEvent, SttEventType } from './stt/events.js';
export type { VoiceProfile, VoiceProfileEntry, WordTimestamp } from './stt/protocol.js';
export type { SttOptions } from './stt/options.js';

// Voices.
export type { ListVoicesOptions, ListVoicesResult, VoiceSourceFilter } from './voices/list.js';
export { CloneTimeoutError } from './voices/clone.js';
export type {
  CloneRequest,
  CloneResult,
  CloneSample,
  DesignRequest,
  DesignResult,
  SampleValidation,
  Voice,
  VoiceCallOptions,
  VoiceEdit,
  VoicePreview,
} from './voices/types.js';

// Pronunciation dictionaries.
export type { Pronunciations } from './resources/pronunciations.js';
export { StaleEtagError } from './pronunciations/errors.js';
export type * from './pronunciations/types.js';
