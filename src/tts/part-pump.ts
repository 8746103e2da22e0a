// Reading ahead for long text: a part's chunks are received into a bounded queue before its turn,
// so part k+1 downloads while part k is consumed, and memory stays bounded (TCP backpressure).
import type { SynthesisChunk } from './http-types.js';

/**
 * Runs a part's generator ahead of consumption into a bounded queue. The consumer drains it when
 * the part's turn comes; until then the pump pauses whenever the queue holds maxBytes of audio.
 */
export class PartPump {
  private readonly queue: SynthesisChunk[] = [];
  private queuedBytes = 0;
  private finished = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakePump: (() => void) | undefined;
  private cancelled = false;
  readonly settled: Promise<void>;

  constructor(
    private readonly source: AsyncGenerator<SynthesisChunk>,
    private readonly maxBytes: number,
  ) {
    this.settled = this.run();
  }

  private async run(): Promise<void> {
    try {
      for await (const chunk of this.source) {
        this.queue.push(chunk);
        this.queuedBytes += chunk.audio?.length ?? 0;
        this.signalConsumer();
        while (this.queuedBytes >= this.maxBytes && !this.cancelled) {
          await new Promise<void>((resolve) => (this.wakePump = resolve));
        }
        if (this.cancelled) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.signalConsumer();
    }
  }

  private signalConsumer(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  private signalPump(): void {
    const wake = this.wakePump;
    this.wakePump = undefined;
    wake?.();
  }

  async *drain(): AsyncGenerator<SynthesisChunk> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk) {
        this.queuedBytes -= chunk.audio?.length ?? 0;
        this.signalPump();
        yield chunk;
        continue;
      }
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  /** Stops reading; the request itself is ended by the shared AbortSignal. */
  cancel(): void {
    this.cancelled = true;
    this.signalPump();
  }
}
