// An energy-based voice activity detector for the emulated STT service. It classifies fixed
// frames of received s16le audio as speech or silence by their RMS level, so the emulator's
// speechStarted / speechStopped / end-of-turn timing follows the audio a client really sends
// (a client that sends silence gets no turns; a client that sends a tone or speech does).
import { PCM16_BYTES_PER_SAMPLE } from '../codecs/sample-rates.js';

/** Analysis frame length. 20 ms is short enough for turn timing, long enough for a stable RMS. */
export const VAD_FRAME_MS = 20;

/** dBFS threshold at vadThreshold 0 and 1; 0.5 (the API default) lands at -35 dBFS. */
const THRESHOLD_DBFS_AT_ZERO = -60;
const THRESHOLD_DBFS_SPAN = 50;
/** Level used for silent frames (log of zero). */
const SILENCE_DBFS = -120;

/** Maps the API's vadThreshold (0–1, higher is stricter) to an RMS level in dBFS. */
export function vadThresholdToDbfs(vadThreshold: number): number {
  const clamped = Math.min(1, Math.max(0, vadThreshold));
  return THRESHOLD_DBFS_AT_ZERO + THRESHOLD_DBFS_SPAN * clamped;
}

export interface VadFrame {
  /** Start of the frame in ms since the first byte of audio on this connection. */
  startMs: number;
  durationMs: number;
  /** RMS level of the frame (all channels), dBFS. */
  levelDbfs: number;
  speech: boolean;
}

/**
 * Splits incoming audio into VAD frames, carrying partial frames (and split samples) across
 * chunks, and labels each frame. Multichannel audio is judged on all samples together.
 */
export class EnergyVad {
  private readonly frameBytes: number;
  private readonly frameMs: number;
  private readonly threshold: number;
  private pending: Buffer = Buffer.alloc(0);
  private framesSeen = 0;

  constructor(sampleRateHertz: number, channels: number, thresholdDbfs: number) {
    const samplesPerFrame = Math.max(1, Math.round((sampleRateHertz * VAD_FRAME_MS) / 1000));
    this.frameBytes = samplesPerFrame * channels * PCM16_BYTES_PER_SAMPLE;
    this.frameMs = (samplesPerFrame * 1000) / sampleRateHertz;
    this.threshold = thresholdDbfs;
  }

  get thresholdDbfs(): number {
    return this.threshold;
  }

  /** Feeds audio; returns the frames completed by it, in order. */
  push(pcm: Buffer): VadFrame[] {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, pcm]) : pcm;
    const frames: VadFrame[] = [];
    let offset = 0;
    while (data.length - offset >= this.frameBytes) {
      const level = rmsDbfs(data, offset, offset + this.frameBytes);
      frames.push({
        startMs: this.framesSeen * this.frameMs,
        durationMs: this.frameMs,
        levelDbfs: level,
        speech: level >= this.threshold,
      });
      this.framesSeen += 1;
      offset += this.frameBytes;
    }
    this.pending = Buffer.from(data.subarray(offset));
    return frames;
  }

  /** Audio received so far, in ms (whole frames only). */
  get receivedMs(): number {
    return this.framesSeen * this.frameMs;
  }
}

/** RMS of the s16le samples in [start, end) as dBFS (full scale = 32768). */
export function rmsDbfs(data: Buffer, start: number, end: number): number {
  let sumSquares = 0;
  let count = 0;
  for (let i = start; i + 1 < end; i += 2) {
    const sample = data.readInt16LE(i) / 32768;
    sumSquares += sample * sample;
    count += 1;
  }
  if (count === 0 || sumSquares === 0) return SILENCE_DBFS;
  return Math.max(SILENCE_DBFS, 10 * Math.log10(sumSquares / count));
}
