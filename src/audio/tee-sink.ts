// One stream of audio to several sinks at once (`--play` with `-o out.wav`): each chunk goes to
// every sink in parallel and the write resolves when the slowest has accepted it, so the slowest
// sets the pace (a file never runs ahead of the speakers by more than a chunk).
import type { AudioSink } from './sink.js';

export class TeeSink implements AudioSink {
  constructor(private readonly sinks: readonly AudioSink[]) {}

  async write(chunk: Buffer): Promise<void> {
    await settleAll(this.sinks.map((sink) => sink.write(chunk)));
  }

  /** Ends every sink, even if one fails; the first failure is then rethrown. */
  async end(): Promise<void> {
    await settleAll(this.sinks.map((sink) => sink.end()));
  }

  async interrupt(): Promise<void> {
    await Promise.allSettled(this.sinks.map((sink) => sink.interrupt()));
  }

  async abort(reason?: unknown): Promise<void> {
    await Promise.allSettled(this.sinks.map((sink) => sink.abort(reason)));
  }
}

async function settleAll(operations: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(operations);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}
