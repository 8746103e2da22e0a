// The public types and defaults of a TTS context stream (TtsStream).
import type { WarningListener } from './model-checks.js';
import type { Timestamps } from './timestamps.js';

/** How long `contextClosed` may take after `close_context` before the context is declared stuck. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 60_000;
/**
 * A context with no frame sent for this long gets an empty `send_text`, as Pipecat and
 * Vision-Agents do: the server pauses a connection after 10 minutes without activity (docs/protocol.md#tts-websocket), which
 * a quiet pipe (`tail -f`) would otherwise hit.
 */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 60_000;
/**
 * How long a context with a generation outstanding (text flushed, `flushCompleted` not yet seen)
 * may hear nothing from the server before it fails with a retryable TimeoutError: a stalled
 * server must not hang a stream.
 */
export const DEFAULT_SERVER_SILENCE_TIMEOUT_MS = 30_000;
/**
 * After `close_context`, once every generation has completed, the consumer has all its audio, and
 * `contextClosed` should follow at once or within a round trip (docs/protocol.md#tts-websocket).
 * When nothing at all has come for this long since the close or the last frame, the iteration
 * ends without it (the slot waits for the close deadline). Every frame of the context starts the
 * wait again, so audio still arriving (a server that splits a generation) is never cut off.
 */
export const CLOSE_GRACE_MS = 500;

/** What a {@link TtsStream} yields: audio, and the end of each generation. */
export type TtsStreamChunk =
  /**
   * Audio (headers stripped for LINEAR16/WAV) and/or timestamps in seconds from the start of the
   * stream (running offset applied); ASYNC transport sends timestamp-only chunks (empty audio).
   */
  | { type: 'audio'; audio: Buffer; timestamps?: Timestamps; generation: number }
  /** The server finished one generation (`flushCompleted`); `endSeconds` is where the next one's timestamps start. */
  | { type: 'generationEnd'; generation: number; endSeconds: number };

/** Per-stream settings: context id, deadlines, keepalive, header stripping, cancellation. */
export interface TtsStreamOptions {
  /** Client-chosen context id; a random one by default. */
  contextId?: string;
  /** Deadline for `contextClosed` after `end()`; a context stuck closing then fails and frees its slot. */
  closeTimeoutMs?: number;
  /** Empty `send_text` after this long without a frame (0 disables). Default 60 s. */
  keepaliveIntervalMs?: number;
  /** Strip RIFF headers from LINEAR16/WAV chunks so the audio is plain s16le. Default true. */
  stripHeaders?: boolean;
  /** Silence from the server allowed while a generation is outstanding (0 disables). Default 30 s. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Hears what is sent anyway but probably not meant (an unknown model, an ignored temperature), when the stream opens. */
  onWarning?: WarningListener;
}
