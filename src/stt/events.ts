// The typed events a transcription yields, in the order the server produces them. Times are ms
// from the start of the audio stream (across reconnects), whatever unit the server used.

import type { VoiceProfile, WordTimestamp } from './protocol.js';

/** An event of a streaming transcription. */
export type SttEvent =
  | { type: 'speech_started'; startTimeMs?: number; confidence?: number }
  /** The whole current turn so far; each interim replaces the previous one. */
  | { type: 'interim'; text: string; words: WordTimestamp[] }
  /**
   * The end of a turn. `text` may be empty (the server heard noise, or endTurn came with no
   * speech); the turn is over either way. `startMs`/`endMs` come from the words when present.
   */
  | { type: 'final'; turn: number; text: string; words: WordTimestamp[]; voiceProfile?: VoiceProfile; startMs?: number; endMs?: number }
  | { type: 'speech_stopped'; silenceDurationMs?: number }
  | { type: 'usage'; transcribedAudioMs?: number; modelId?: string }
  /** A server error message; a fatal one is then thrown by the iterator. */
  | { type: 'error'; code?: number; message: string }
  /** The connection dropped; the session reconnects and replays unacknowledged audio. */
  | { type: 'reconnecting'; attempt: number; delayMs: number; reason: string };

/** The `type` of an {@link SttEvent}. */
export type SttEventType = SttEvent['type'];
