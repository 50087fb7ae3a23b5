/**
 * Long polling without polling: a ReceiveMessage that found nothing waits on its queue until a send
 * (or a visibility change) wakes it, the next hidden message becomes visible, or its time is up.
 *
 * With several nodes on one metadata store, a send on another node wakes this node's waiters
 * through the store's notify channel (`cluster`): wakes are gathered per event-loop turn into one
 * notification, and since notifications are best effort, a waiter also re-checks every
 * `cluster.recheckMs`.
 */
export interface WaitersCluster {
  /** Tells the other nodes which queues got messages. */
  broadcast(queueIds: number[]): void;
  recheckMs: number;
}

export class Waiters {
  private readonly byQueue = new Map<number, Set<() => void>>();
  private draining = false;
  private pendingBroadcast: Set<number> | undefined;

  constructor(private readonly cluster?: WaitersCluster) {}

  /** A wake that came from another node. */
  wakeFromPeer(queueIds: number[]): void {
    for (const id of queueIds) this.wakeLocal(id);
  }

  /** Resolves when woken or after `ms`; false once the server is draining (answer empty at once). */
  wait(queueId: number, ms: number): Promise<boolean> {
    if (this.draining || ms <= 0) return Promise.resolve(!this.draining);
    if (this.cluster) ms = Math.min(ms, this.cluster.recheckMs);
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
    this.wakeLocal(queueId);
    if (!this.cluster) return;
    if (!this.pendingBroadcast) {
      this.pendingBroadcast = new Set();
      setImmediate(() => {
        const ids = [...this.pendingBroadcast!];
        this.pendingBroadcast = undefined;
        this.cluster!.broadcast(ids);
      });
    }
    this.pendingBroadcast.add(queueId);
  }

  private wakeLocal(queueId: number): void {
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
