// What a transcription session tells its reader for each server message: times moved from the
// connection's clock (0 at the first audio sent on it) to the stream's, interims with text, and
// finals numbered as turns, each turn once even when a replay makes the server finalize it again.
import type { SttEvent } from './events.js';
import type { SttServerMessage, VoiceProfile, WordTimestamp } from './protocol.js';

/** The event for a message that only informs (no final, no failure); undefined for the others. */
export function eventOf(message: SttServerMessage, offsetMs: number): SttEvent | undefined {
  switch (message.kind) {
    case 'speechStarted':
      return {
        type: 'speech_started',
        ...(message.startTimeMs !== undefined ? { startTimeMs: Math.round(message.startTimeMs + offsetMs) } : {}),
        ...(message.confidence !== undefined ? { confidence: message.confidence } : {}),
      };
    case 'speechStopped':
      return { type: 'speech_stopped', ...(message.silenceDurationMs !== undefined ? { silenceDurationMs: message.silenceDurationMs } : {}) };
    case 'usage':
      return { type: 'usage', transcribedAudioMs: message.transcribedAudioMs, modelId: message.modelId };
    case 'transcription':
      if (message.isFinal || message.transcript.trim() === '') return undefined;
      return { type: 'interim', text: message.transcript, words: shiftWords(message.words, offsetMs) };
    case 'error':
      // Reported as an event; whether the stream goes on is the session's decision.
      return { type: 'error', ...(message.grpcCode !== undefined ? { code: message.grpcCode } : {}), message: message.message };
    default:
      return undefined;
  }
}

export function shiftWords(words: WordTimestamp[], offsetMs: number): WordTimestamp[] {
  if (offsetMs === 0) return words;
  return words.map((word) => ({ ...word, startMs: Math.round(word.startMs + offsetMs), endMs: Math.round(word.endMs + offsetMs) }));
}

/** Numbers finals as turns and drops a final for audio already finalized (a replayed turn). */
export class FinalTurns {
  private turn = 0;
  private lastFinalEndMs = -1;

  /** The final event, or undefined when it repeats one already emitted. `words` are in stream time. */
  next(text: string, words: WordTimestamp[], voiceProfile: VoiceProfile | undefined): SttEvent | undefined {
    const lastWord = words[words.length - 1];
    if (lastWord && lastWord.endMs <= this.lastFinalEndMs) return undefined;
    if (lastWord) this.lastFinalEndMs = lastWord.endMs;
    this.turn += 1;
    return {
      type: 'final',
      turn: this.turn,
      text,
      words,
      ...(voiceProfile ? { voiceProfile } : {}),
      ...(lastWord ? { startMs: words[0]!.startMs, endMs: lastWord.endMs } : {}),
    };
  }
}
