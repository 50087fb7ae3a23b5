/**
 * "Metadata changed" signals for the in-memory copies services keep of metadata (SQS queue rows,
 * the alarm runner's watch index, compiled Contributor Insights rules, anomaly models, X-Ray
 * encryption keys). A writer publishes a topic, and the key that changed when it knows it, after
 * its write committed; every subscriber to the topic drops or refreshes its copy.
 *
 * On SQLite there is one process per data directory, so this node's subscribers are all there is.
 * On PostgreSQL the signal also goes to the other nodes as a NOTIFY on one channel (the metadata
 * handle's notify/listen, which SQS long-poll wake-ups use too); a node skips its own echo, which
 * it already delivered in-process when it published. NOTIFY is best effort: when the listening
 * connection comes back after a loss, every subscriber gets a key-less signal ("anything may have
 * changed"), because what was notified meanwhile is unknown.
 */
import type { MetaDb } from './sql/types.ts';

export const CHANGES_CHANNEL = 'osprey.meta.changed';
/** NOTIFY payloads are limited to 8,000 bytes: a longer key goes out as "the whole topic changed". */
const MAX_KEY_CHARS = 2000;

/** `key` undefined: anything under the topic may have changed. */
export type ChangeHandler = (key: string | undefined) => void;

export interface MetaChanges {
  /**
   * Signals that `topic` (`key` in it, when given) changed. This node's subscribers run before it
   * returns; the promise settles once the other nodes' notification is sent (PostgreSQL). Call it
   * after the write committed, so a subscriber that re-reads at once sees the new data.
   */
  publish(topic: string, key?: string): Promise<void>;
  /** Calls `fn` for every change of `topic` published on any node; returns the unsubscribe. */
  subscribe(topic: string, fn: ChangeHandler): () => void;
}

type Wire = [node: string, topic: string, key: string | null];

export class MetaChangeSignal implements MetaChanges {
  private readonly handlers = new Map<string, Set<ChangeHandler>>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly db: MetaDb,
    private readonly nodeId: string,
    private readonly onError: (err: unknown, what: string) => void = () => {},
  ) {
    if (db.dialect !== 'postgres') return;
    this.stops.push(db.listen(CHANGES_CHANNEL, (payload) => this.fromPeer(payload)));
    this.stops.push(db.onRelisten(() => { for (const topic of [...this.handlers.keys()]) this.deliver(topic, undefined); }));
  }

  /** Resolves once other nodes' signals arrive here (PostgreSQL: the LISTEN connection is up). */
  ready(): Promise<void> {
    return this.db.listening();
  }

  async publish(topic: string, key?: string): Promise<void> {
    this.deliver(topic, key);
    if (this.db.dialect !== 'postgres') return;
    const wire: Wire = [this.nodeId, topic, key !== undefined && key.length <= MAX_KEY_CHARS ? key : null];
    // The write is committed already: a failed NOTIFY must not fail it. Other nodes then keep their
    // copy until their next signal on this topic (or their listener's reconnect).
    await this.db.notify(CHANGES_CHANNEL, JSON.stringify(wire)).catch((err: unknown) => this.onError(err, `publishing ${topic}`));
  }

  subscribe(topic: string, fn: ChangeHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.handlers.get(topic) === set) this.handlers.delete(topic);
    };
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.handlers.clear();
  }

  private fromPeer(payload: string): void {
    let wire: Wire;
    try {
      wire = JSON.parse(payload) as Wire;
    } catch (err) {
      return this.onError(err, 'reading a change signal');
    }
    if (!Array.isArray(wire) || wire[0] === this.nodeId || typeof wire[1] !== 'string') return;
    this.deliver(wire[1], typeof wire[2] === 'string' ? wire[2] : undefined);
  }

  private deliver(topic: string, key: string | undefined): void {
    for (const fn of this.handlers.get(topic) ?? []) {
      try {
        fn(key);
      } catch (err) {
        // One subscriber's bug must not keep the others' copies stale.
        this.onError(err, `applying a change of ${topic}`);
      }
    }
  }
}
