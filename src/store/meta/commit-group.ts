/**
 * Group commit for metadata writes (SQS messages, Firehose records). Every unit of work queued during
 * one event-loop turn (the sends, receives and deletes of the requests that arrived together) runs in
 * one transaction: one commit, and with `fsync` one fsync, for all of them, instead of one each. A
 * unit resolves only after that commit, so an answered call is as durable as before. Each unit runs
 * in its own savepoint: one that throws is rolled back alone and rejects alone.
 */
import type { Sql } from './sql/types.ts';

interface Unit {
  run: (tx: Sql) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class CommitGroup {
  private pending: Unit[] = [];
  private scheduled = false;

  constructor(private readonly db: Sql) {}

  /** `fn` does only database work, through `tx`. */
  run<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.db.transaction(async (tx) => {
        for (const u of batch) {
          try {
            outcomes.push({ ok: true, value: await tx.transaction(u.run) });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
          }
        }
      });
    } catch (err) {
      // The commit itself failed (disk full, I/O error, a lost connection): nothing of the batch is stored.
      for (const u of batch) u.reject(err);
      return;
    }
    batch.forEach((u, i) => (outcomes[i]!.ok ? u.resolve(outcomes[i]!.value) : u.reject(outcomes[i]!.value)));
  }
}
