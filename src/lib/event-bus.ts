/**
 * An in-process event bus of typed facts: a discriminated union `F` (on `kind`) decides what can be
 * published and what each subscriber receives. The facts Osprey's services exchange are defined by
 * the kernel (server/facts.ts); this file is only the mechanism.
 *
 * `publish` is synchronous and best effort: subscribers run in the publisher's turn and a throwing
 * (or rejecting) subscriber is ignored. `publishAwaited` also awaits async subscribers, in
 * subscription order, and lets their errors through: for hooks that must have finished before a
 * request is answered. A consumer that needs durability persists what it receives.
 */
export type FactOf<F, K> = Extract<F, { kind: K }>;
type Stored<F> = (fact: F) => void | Promise<void>;

export class EventBus<F extends { kind: string }> {
  private readonly subscribers = new Map<F['kind'], Stored<F>[]>();

  /** Returns the unsubscribe function. */
  subscribe<K extends F['kind']>(kind: K, s: (fact: FactOf<F, K>) => void | Promise<void>): () => void {
    // Kept in the list of its kind, so it is only ever called with facts of that kind.
    const stored: Stored<F> = (fact) => s(fact as FactOf<F, K>);
    this.subscribers.set(kind, [...(this.subscribers.get(kind) ?? []), stored]);
    return () => this.subscribers.set(kind, (this.subscribers.get(kind) ?? []).filter((x) => x !== stored));
  }

  /** Whether anyone listens (so a publisher can skip building a costly fact). */
  has(kind: F['kind']): boolean {
    return (this.subscribers.get(kind)?.length ?? 0) > 0;
  }

  publish(fact: F): void {
    for (const s of this.subscribers.get(fact.kind) ?? []) {
      try {
        const r = s(fact);
        // A failing consumer must not break the publisher or the other consumers.
        if (r instanceof Promise) r.catch(() => {});
      } catch {
        // as above
      }
    }
  }

  /** Runs every subscriber in order and waits for each; the first error rejects (the caller fails its request). */
  async publishAwaited(fact: F): Promise<void> {
    for (const s of this.subscribers.get(fact.kind) ?? []) await s(fact);
  }
}
