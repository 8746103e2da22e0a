// The public settings and counters of a streaming transcription (SttSession).
import type { SttOptions } from './options.js';

/** Settings for a streaming transcription: recognition options plus pacing, replay and cancellation. */
export interface SttSessionOptions extends SttOptions {
  /** Aborts the session at once (no closeStream); the iterator then throws UserAbortError. */
  signal?: AbortSignal;
  /** Reconnect attempts in a row before giving up. Default: the client's maxRetries. */
  maxRetries?: number;
  /** First reconnect delay; doubles per attempt up to 5 s. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Chunk rate cap; the API allows 50 per second. 0 = no cap. Default 50. */
  maxChunksPerSecond?: number;
  /** Pace new audio at 1x real time (for files that should behave like a live source). */
  realtime?: boolean;
  /** How much unacknowledged audio to keep for replay. Default 60 s. A fast sender waits for finals rather than get further ahead. */
  replayLimitMs?: number;
  /** After closeStream, how long to wait with no server message before closing ourselves. Default 10 s. */
  closeWaitMs?: number;
}

/** Counters of a transcription session, for logging and tests. */
export interface SttSessionStats {
  connections: number;
  reconnects: number;
  chunksSent: number;
  audioBytesSent: number;
  replayedChunks: number;
  /** Unacknowledged audio pushed out of the replay buffer by its bound (not replayable after a drop). */
  replayDroppedBytes: number;
}
