// A place for one task to wait until another says "something changed" (or a time has passed):
// the send loop waiting for new audio, or for a final to make room in the replay buffer.
export class Wakeup {
  private waiter?: () => void;

  /** Resolves at the next wake(), or after `ms` when given. A task already waiting is woken first. */
  wait(ms?: number): Promise<void> {
    this.wake();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.waiter === done) this.waiter = undefined;
        resolve();
      };
      // Referenced: the session depends on this wait, so it keeps the process alive.
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.waiter = done;
    });
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
