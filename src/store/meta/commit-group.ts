/**
 * Group commit for metadata writes (SQS messages, Firehose records). Every unit of work queued during one event-loop turn (the
 * sends, receives and deletes of the requests that arrived together) runs in one SQLite
 * transaction: one commit, and with `fsync` one fsync, for all of them, instead of one each. A unit
 * resolves only after that commit, so an answered call is as durable as before. Each unit runs in
 * its own savepoint: one that throws is rolled back alone and rejects alone.
 */
import type { Db } from './db.ts';

interface Unit {
  run: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class CommitGroup {
  private pending: Unit[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const u of batch) {
          try {
            outcomes.push({ ok: true, value: this.db.transaction(u.run)() });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
          }
        }
      })();
    } catch (err) {
      // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
      for (const u of batch) u.reject(err);
      return;
    }
    batch.forEach((u, i) => (outcomes[i]!.ok ? u.resolve(outcomes[i]!.value) : u.reject(outcomes[i]!.value)));
  }
}
