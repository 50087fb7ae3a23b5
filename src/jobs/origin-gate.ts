/**
 * At most `limit` tasks at once per key (an origin); the rest wait, first come first served, as a
 * closure instead of a queued request object. keep-alive-post.ts uses it so that sends beyond the
 * agent's sockets wait here rather than in the agent's queue: with 2,000 sends in flight (the
 * EventBridge handler's 4 batches of 500) a queued ClientRequest cost 112 µs of CPU per POST against
 * 92 µs gated to the 256 sockets (2026-12-05, bare node:http poster, 30,000 posts to a local sink).
 */
interface Slot {
  active: number;
  waiting: (() => boolean)[];
}

export class OriginGate {
  private readonly slots = new Map<string, Slot>();

  constructor(readonly limit: number) {}

  /**
   * Runs `start` now or once a slot of `key` frees. `start` returns false when it no longer wants the
   * slot (its caller gave up while waiting, or failed to start): the slot passes on. When it returns
   * true, the caller must call leave(key) exactly once when done.
   */
  enter(key: string, start: () => boolean): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active >= this.limit) {
      slot.waiting.push(start);
      return;
    }
    slot.active++;
    if (!start()) this.leave(key);
  }

  leave(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    // A waiter that gave up passes the slot on at once (a loop, not recursion: thousands may have).
    for (let next = slot.waiting.shift(); next !== undefined; next = slot.waiting.shift()) {
      if (next()) return;
    }
    if (--slot.active === 0) this.slots.delete(key);
  }

  /** Tasks holding a slot of `key` (tests). */
  active(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
