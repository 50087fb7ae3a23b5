/**
 * Reads see what was acknowledged (issue 17, deliverable 3) by flush-before-read: a query or exec
 * whose SQL names a table fed by a pipeline with rows still in its head first waits for that
 * pipeline's sync(), i.e. until every row acknowledged before the read is in the engine.
 *
 * The wait is bounded by the flush schedule, not by the read: an idle pipeline has nothing pending
 * and costs nothing (a boolean check, no regex run); a busy one flushes its head now (one insert
 * of at most flushRows / flushBytes, after the flush already in flight). If a pipeline cannot flush
 * (engine down, retrying), the read does not wait beyond `maxWaitMs` (default 5 s): it then runs
 * on what the engine has, because a read that fails is worse than one that misses rows that are
 * durable in the WAL and about to be inserted.
 *
 * MetricReader's reads of data points do not come here: they merge the metric head instead
 * (IngestPipeline.readWithHead), which spares a read right after a write the flush.
 *
 * insert() passes straight through: the flush itself inserts through this engine, and waiting for
 * a sync there would deadlock. For the same reason a head's batch must write with insert() (or
 * the unwrapped engine): an exec()/query() issued by a flush through this wrapper would wait for
 * that very flush until maxWaitMs.
 */
import type { SqlEngine } from '../telemetry/engine.ts';

export interface SyncablePipeline {
  readonly pending: boolean;
  sync(): Promise<void>;
}

export interface ReadYourWritesSource {
  /** Matched against the SQL text: the tables this pipeline writes. No `g`/`y` flag (test() would keep state). */
  tables: RegExp;
  pipeline: SyncablePipeline;
}

export function readYourWrites(engine: SqlEngine, pipelines: ReadonlyArray<ReadYourWritesSource>, maxWaitMs = 5_000): SqlEngine {
  const before = async (sql: string): Promise<void> => {
    const waits: Array<Promise<void>> = [];
    for (const p of pipelines) {
      if (p.pipeline.pending && p.tables.test(sql)) waits.push(p.pipeline.sync());
    }
    if (waits.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    try {
      // A sync that fails (store closed) must not fail the read: the engine still answers.
      await Promise.race([Promise.allSettled(waits), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    query: async (sql, params) => {
      await before(sql);
      return engine.query(sql, params);
    },
    exec: async (sql, params) => {
      await before(sql);
      return engine.exec(sql, params);
    },
    select: async (sql, opts) => {
      await before(sql);
      return engine.select(sql, opts);
    },
    insert: (...args) => engine.insert(...args),
    close: () => engine.close(),
  };
}
