// What every emulator endpoint handler receives: the resolved options, shared services (faults,
// speech, encoders, voices, request log) and the facts of the request being handled.
//
// Handlers owned by other engineers (tts/ws.ts, stt/ws.ts, stt/rest.ts) build on this type, so it
// only ever grows: never remove or rename a field.
//
//   handleTtsSocket(socket: WebSocket, request: IncomingMessage, context: EmulatorContext): void
//   handleSttSocket(socket: WebSocket, request: IncomingMessage, context: EmulatorContext): void
//   handleSttTranscribe(request: IncomingMessage, response: ServerResponse, body: Buffer, context: EmulatorContext): Promise<void> | void

import type { AudioEncoder, EncoderOptions } from '../codecs/encoders.js';
import type { FaultAction, FaultRegistry } from '../faults/rules.js';
import type { ResolvedEmulatorOptions } from './options.js';
import type { RecordedRequest, RequestRecorder } from './recorder.js';
import type { SpeechEngine } from '../tts/speech.js';
import type { VoiceCatalogue } from '../voices/types.js';
import type { PronunciationStore } from '../pronunciations/store.js';
import type { CloneRateLimiter } from '../voices/guards.js';
import type { VoiceStore } from '../voices/store.js';
import type { JobStore } from '../jobs/store.js';

export interface EmulatorLogger {
  /** One line about a request or event; printed unless the emulator is quiet. */
  info(message: string): void;
  /** Noisy detail; printed only when INWORLD_EMULATOR_DEBUG=1. */
  debug(message: string): void;
}

export interface EmulatorContext {
  readonly options: ResolvedEmulatorOptions;
  /** All fault rules; handlers may call `faults.take(...)` again, e.g. per WebSocket message. */
  readonly faults: FaultRegistry;
  readonly log: EmulatorLogger;
  /** The speech engine selected by the options (espeak or synthetic). */
  readonly speech: SpeechEngine;
  /** Creates an incremental encoder (see encoders.ts for framing rules). */
  createEncoder(options: EncoderOptions): AudioEncoder;
  readonly voices: VoiceCatalogue;
  /** Named pronunciation dictionaries, shared by their API and by synthesis. */
  readonly pronunciations: PronunciationStore;
  /** The same voices, writable: custom voices and design previews (the Voice API handlers). */
  readonly voiceStore: VoiceStore;
  /** Voice clones per key per minute. */
  readonly cloneLimiter: CloneRateLimiter;
  readonly recorder: RequestRecorder;
  /** Server-side async and batch jobs and their result objects. */
  readonly jobs: JobStore;
  /** The record of the request / handshake being handled; append WS messages with recorder.appendMessage. */
  readonly record: RecordedRequest;
  /** Fault actions that matched this request or handshake (already consumed from the registry). */
  readonly matchedFaults: readonly FaultAction[];
  /** Aborted when the emulator starts closing: stop timers, close sockets. */
  readonly closing: AbortSignal;
  /** Registers cleanup to run on emulator close (after sockets are told to close). */
  onClose(cleanup: () => void): void;
  /** Resolves after `ms` (unref'd timer), or rejects early when `closing` aborts. */
  delay(ms: number): Promise<void>;
}
