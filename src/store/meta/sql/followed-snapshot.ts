/**
 * An in-memory copy of a small table that hot paths read synchronously (the trails the recorder
 * consults on every call, the Lake stores that select data events). It is reloaded after every
 * write through its owner; other nodes' writes (PostgreSQL) arrive as a notification on `channel`
 * (owners notify inside their write transactions), and at most `recheckMs` late by a background
 * re-read should one be missed. SQLite is one process per data directory: its own writes suffice.
 */
import type { MetaDb } from './types.ts';

export class FollowedSnapshot<T> {
  private value: T;
  /** Reloads started / the newest applied: an older read finishing late never wins. */
  private started = 0;
  private applied = 0;
  private checkedAt = 0;
  private refreshing: Promise<void> | undefined;
  private unlisten: (() => void) | undefined;

  private constructor(
    private readonly db: MetaDb,
    private readonly load: (db: MetaDb) => Promise<T>,
    initial: T,
    private readonly recheckMs: number,
  ) {
    this.value = initial;
  }

  static async open<T>(db: MetaDb, channel: string, load: (db: MetaDb) => Promise<T>, recheckMs = 1000): Promise<FollowedSnapshot<T>> {
    const s = new FollowedSnapshot(db, load, await load(db), recheckMs);
    s.checkedAt = Date.now();
    s.unlisten = db.listen(channel, () => s.refresh());
    return s;
  }

  /** The copy, starting a background re-read when it is due (PostgreSQL). */
  current(): T {
    if (this.db.dialect === 'postgres' && Date.now() - this.checkedAt >= this.recheckMs) {
      this.checkedAt = Date.now();
      this.refresh();
    }
    return this.value;
  }

  /** Re-reads now (after a write through the owner). */
  async reload(): Promise<void> {
    const gen = ++this.started;
    this.checkedAt = Date.now();
    const next = await this.load(this.db);
    if (gen < this.applied) return;
    this.applied = gen;
    this.value = next;
  }

  close(): void {
    this.unlisten?.();
    this.unlisten = undefined;
  }

  /** One background reload at a time; a failure keeps the current copy for the next try. */
  private refresh(): void {
    if (this.refreshing) return;
    this.refreshing = this.reload().catch(() => {}).finally(() => { this.refreshing = undefined; });
  }
}
