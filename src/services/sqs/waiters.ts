/**
 * Long polling without polling: a ReceiveMessage that found nothing waits on its queue until a send
 * (or a visibility change) wakes it, the next hidden message becomes visible, or its time is up.
 */
export class Waiters {
  private readonly byQueue = new Map<number, Set<() => void>>();
  private draining = false;

  /** Resolves when woken or after `ms`; false once the server is draining (answer empty at once). */
  wait(queueId: number, ms: number): Promise<boolean> {
    if (this.draining || ms <= 0) return Promise.resolve(!this.draining);
    return new Promise((resolve) => {
      let set = this.byQueue.get(queueId);
      if (!set) this.byQueue.set(queueId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0 && this.byQueue.get(queueId) === set) this.byQueue.delete(queueId);
        resolve(!this.draining);
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  wake(queueId: number): void {
    const set = this.byQueue.get(queueId);
    if (set) for (const f of [...set]) f();
  }

  get draining_(): boolean {
    return this.draining;
  }

  /** Shutdown: every waiting receive answers now. */
  drain(): void {
    this.draining = true;
    for (const set of [...this.byQueue.values()]) for (const f of [...set]) f();
  }
}
