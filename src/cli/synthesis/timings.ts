// `--timings`: how long until the first audio (or transcript), the total time, and the real-time
// factor, so users can see latency on the real service.

export class Timings {
  private readonly startMs = performance.now();
  private firstMs?: number;

  /** Marks the first audio byte (or first transcript); later calls are ignored. */
  firstAudio(): void {
    this.firstMs ??= performance.now();
  }

  elapsedMs(): number {
    return performance.now() - this.startMs;
  }

  get firstAudioMs(): number | undefined {
    return this.firstMs === undefined ? undefined : this.firstMs - this.startMs;
  }

  summary(audioSeconds: number | undefined, firstLabel = 'first audio'): string {
    const totalMs = performance.now() - this.startMs;
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
