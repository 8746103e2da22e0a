// Turn detection for the emulated STT service: turns VAD frames into the events the real service
// sends (speechStarted, interim points, speechStopped, end of turn). Time is audio time (ms of
// audio received on the connection), not wall-clock time, so results do not depend on how fast
// a client sends.
//
// Automatic mode (vadThreshold > 0): a turn starts after ONSET_MS of speech frames and ends after
// enough trailing silence: minEndOfTurnSilenceWhenConfident when the emulator's end-of-turn
// confidence reaches endOfTurnConfidenceThreshold, else maxTurnSilence. Manual mode
// (vadThreshold 0): no VAD events; a turn ends only on endTurn (or at MANUAL_TURN_CAP_MS).

import type { VadFrame } from './vad.js';

/** Continuous speech needed before speechStarted, so a click is not a turn. */
export const ONSET_MS = 40;
/** Speech between two interim transcriptions. */
export const INTERIM_EVERY_MS = 300;
/** The service caps a manual turn (endTurn-driven) at about 30 s. */
export const MANUAL_TURN_CAP_MS = 30_000;
/** Silence that ends a turn when the service is not confident (the docs: a ~2 s pause splits). */
export const DEFAULT_MAX_TURN_SILENCE_MS = 2_000;
/** The emulator's own end-of-turn confidence; thresholds above it fall back to maxTurnSilence. */
export const EMULATED_END_OF_TURN_CONFIDENCE = 0.9;

export interface TurnSettings {
  manual: boolean;
  minEndOfTurnSilenceMs: number;
  maxTurnSilenceMs: number;
  endOfTurnConfidenceThreshold: number;
  thresholdDbfs: number;
}

export type TurnEvent =
  | { kind: 'speechStarted'; startTimeMs: number; confidence: number }
  | { kind: 'interim'; speechMs: number }
  | { kind: 'speechStopped'; silenceDurationMs: number }
  /** A turn ended. `hadSpeech` false means an empty final (endTurn without speech). */
  | { kind: 'endOfTurn'; hadSpeech: boolean; startMs: number; endMs: number };

export class TurnDetector {
  private readonly settings: TurnSettings;
  private speakingNow = false;
  private onsetMs = 0;
  private onsetStartMs = 0;
  private onsetPeakDbfs = -120;
  private turnStartMs = 0;
  private lastSpeechEndMs = 0;
  private silenceMs = 0;
  private speechMs = 0;
  private nextInterimAtMs = INTERIM_EVERY_MS;
  private positionMs = 0;

  constructor(settings: TurnSettings) {
    this.settings = settings;
  }

  /** Silence that ends an automatic turn under these settings. */
  get requiredSilenceMs(): number {
    const s = this.settings;
    return EMULATED_END_OF_TURN_CONFIDENCE >= s.endOfTurnConfidenceThreshold ? s.minEndOfTurnSilenceMs : s.maxTurnSilenceMs;
  }

  get speaking(): boolean {
    return this.speakingNow;
  }

  push(frames: readonly VadFrame[]): TurnEvent[] {
    const events: TurnEvent[] = [];
    for (const frame of frames) {
      this.positionMs = frame.startMs + frame.durationMs;
      if (this.settings.manual) this.manualFrame(frame, events);
      else this.autoFrame(frame, events);
    }
    return events;
  }

  /** endTurn from the client: ends the current turn now (an empty one when nothing was said). */
  endTurn(): TurnEvent[] {
    const events: TurnEvent[] = [];
    if (this.speakingNow) {
      if (!this.settings.manual) events.push({ kind: 'speechStopped', silenceDurationMs: round(this.silenceMs) });
      events.push(this.finishTurn(true));
    } else {
      events.push({ kind: 'endOfTurn', hadSpeech: false, startMs: round(this.positionMs), endMs: round(this.positionMs) });
    }
    this.resetOnset();
    return events;
  }

  /** closeStream: finishes a turn in progress; no empty final when nothing was said. */
  flush(): TurnEvent[] {
    return this.speakingNow ? this.endTurn() : [];
  }

  private autoFrame(frame: VadFrame, events: TurnEvent[]): void {
    if (!this.speakingNow) {
      if (!frame.speech) {
        this.resetOnset();
        return;
      }
      if (this.onsetMs === 0) this.onsetStartMs = frame.startMs;
      this.onsetMs += frame.durationMs;
      this.onsetPeakDbfs = Math.max(this.onsetPeakDbfs, frame.levelDbfs);
      if (this.onsetMs + 1e-6 < ONSET_MS) return;
      this.startTurn(this.onsetStartMs, this.onsetMs);
      events.push({
        kind: 'speechStarted',
        startTimeMs: round(this.onsetStartMs),
        confidence: onsetConfidence(this.onsetPeakDbfs, this.settings.thresholdDbfs),
      });
      this.maybeInterim(events);
      return;
    }
    if (frame.speech) {
      this.speechFrame(frame, events);
      return;
    }
    this.silenceMs += frame.durationMs;
    if (this.silenceMs + 1e-6 >= this.requiredSilenceMs) {
      events.push({ kind: 'speechStopped', silenceDurationMs: round(this.silenceMs) });
      events.push(this.finishTurn(true));
      this.resetOnset();
    }
  }

  private manualFrame(frame: VadFrame, events: TurnEvent[]): void {
    if (frame.speech) {
      if (!this.speakingNow) this.startTurn(frame.startMs, frame.durationMs);
      else this.speechFrame(frame, events);
      this.maybeInterim(events);
    } else if (this.speakingNow) {
      this.silenceMs += frame.durationMs;
    }
    if (this.speakingNow && this.positionMs - this.turnStartMs >= MANUAL_TURN_CAP_MS) events.push(this.finishTurn(true));
  }

  private startTurn(startMs: number, speechMs: number): void {
    this.speakingNow = true;
    this.turnStartMs = startMs;
    this.speechMs = speechMs;
    this.lastSpeechEndMs = startMs + speechMs;
    this.silenceMs = 0;
    this.nextInterimAtMs = INTERIM_EVERY_MS;
  }

  private speechFrame(frame: VadFrame, events: TurnEvent[]): void {
    this.silenceMs = 0;
    this.speechMs += frame.durationMs;
    this.lastSpeechEndMs = frame.startMs + frame.durationMs;
    this.maybeInterim(events);
  }

  private maybeInterim(events: TurnEvent[]): void {
    if (this.speechMs + 1e-6 >= this.nextInterimAtMs) {
      events.push({ kind: 'interim', speechMs: round(this.speechMs) });
      this.nextInterimAtMs += INTERIM_EVERY_MS;
    }
  }

  private finishTurn(hadSpeech: boolean): TurnEvent {
    this.speakingNow = false;
    const event: TurnEvent = { kind: 'endOfTurn', hadSpeech, startMs: round(this.turnStartMs), endMs: round(this.lastSpeechEndMs) };
    this.silenceMs = 0;
    this.speechMs = 0;
    return event;
  }

  private resetOnset(): void {
    this.onsetMs = 0;
    this.onsetPeakDbfs = -120;
  }
}

/** Maps how far the onset rose above the threshold to a 0.5–0.99 confidence. */
function onsetConfidence(peakDbfs: number, thresholdDbfs: number): number {
  const value = 0.5 + (peakDbfs - thresholdDbfs) / 40;
  return Math.round(Math.min(0.99, Math.max(0.5, value)) * 100) / 100;
}

function round(ms: number): number {
  return Math.round(ms);
}
