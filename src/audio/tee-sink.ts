// One stream of audio to several sinks at once (`--play` with `-o out.wav`): each chunk goes to
// every sink in parallel and the write resolves when the slowest has accepted it, so the slowest
// sets the pace (a file never runs ahead of the speakers by more than a chunk).
import type { AudioSink } from './sink.js';

export interface TeeOptions {
  /**
   * Sinks whose failure should not fail the whole (the speakers next to a file, for `--play`):
   * a failing one is aborted, reported to `onDrop`, and left out from then on.
   */
  bestEffort?: readonly AudioSink[];
  onDrop?: (sink: AudioSink, error: unknown) => void;
}

export class TeeSink implements AudioSink {
  private sinks: AudioSink[];
  private readonly bestEffort: ReadonlySet<AudioSink>;
  private readonly onDrop?: (sink: AudioSink, error: unknown) => void;

  constructor(sinks: readonly AudioSink[], options: TeeOptions = {}) {
    this.sinks = [...sinks];
    this.bestEffort = new Set(options.bestEffort ?? []);
    this.onDrop = options.onDrop;
  }

  async write(chunk: Buffer): Promise<void> {
    await this.all((sink) => sink.write(chunk));
  }

  /** Ends every sink, even if one fails; the first failure of a required sink is then rethrown. */
  async end(): Promise<void> {
    await this.all((sink) => sink.end());
  }

  async interrupt(): Promise<void> {
    await Promise.allSettled(this.sinks.map((sink) => sink.interrupt()));
  }

  async abort(reason?: unknown): Promise<void> {
    await Promise.allSettled(this.sinks.map((sink) => sink.abort(reason)));
  }

  private async all(operation: (sink: AudioSink) => Promise<void>): Promise<void> {
    const sinks = this.sinks;
    const results = await Promise.allSettled(sinks.map(operation));
    let failure: PromiseRejectedResult | undefined;
    for (let i = 0; i < sinks.length; i++) {
      const result = results[i]!;
      if (result.status === 'fulfilled') continue;
      const sink = sinks[i]!;
      if (this.bestEffort.has(sink)) {
        this.sinks = this.sinks.filter((kept) => kept !== sink);
        await sink.abort(result.reason).catch(() => undefined);
        this.onDrop?.(sink, result.reason);
      } else {
        failure ??= result;
      }
    }
    if (failure) throw failure.reason;
  }
}
