// A single-consumer async queue: producers push events as socket messages arrive, the consumer
// pulls them with `for await`. Ending with an error makes the consumer's next pull throw it
// (after the events queued before it), so no event that arrived is lost.

export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiter?: () => void;
  private done = false;
  private error: unknown = undefined;
  private hasError = false;

  push(item: T): void {
    if (this.done) return;
    this.items.push(item);
    this.wake();
  }

  /** No more items; `error` (if given) is thrown after the queued items are consumed. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (error !== undefined) {
      this.error = error;
      this.hasError = true;
    }
    this.wake();
  }

  get ended(): boolean {
    return this.done;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.items.length > 0) return { value: this.items.shift()!, done: false };
      if (this.done) {
        if (this.hasError) {
          this.hasError = false;
          throw this.error;
        }
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.next() };
  }
}
