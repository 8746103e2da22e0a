// `--timings`: how long until the first audio (or transcript), the total time, and the real-time
// factor, so users can see latency on the real service.
import { monotonicMs } from '../../core/monotonic-clock.js';

export class Timings {
  private readonly startMs = monotonicMs();
  private firstMs?: number;

  /** Marks the first audio byte (or first transcript); later calls are ignored. */
  firstAudio(): void {
    this.firstMs ??= monotonicMs();
  }

  elapsedMs(): number {
    return monotonicMs() - this.startMs;
  }

  get firstAudioMs(): number | undefined {
    return this.firstMs === undefined ? undefined : this.firstMs - this.startMs;
  }

  summary(audioSeconds: number | undefined, firstLabel = 'first audio'): string {
    const totalMs = monotonicMs() - this.startMs;
    const parts = [
      `${firstLabel} ${this.firstAudioMs === undefined ? 'n/a' : `${Math.round(this.firstAudioMs)} ms`}`,
      `total ${Math.round(totalMs)} ms`,
    ];
    if (audioSeconds !== undefined && audioSeconds > 0) {
      parts.push(`audio ${audioSeconds.toFixed(2)} s`, `real-time factor ${(totalMs / 1000 / audioSeconds).toFixed(3)}`);
    }
    return `timings: ${parts.join(', ')}`;
  }
}
