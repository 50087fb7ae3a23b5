/** What Athena's handlers and runner share. */
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import type { MetastoreRepo } from './metastore/repo.ts';
import type { AthenaRepo } from './repo.ts';

export interface AthenaDeps {
  repo: AthenaRepo;
  /** Databases, external tables, views and partitions created with DDL. */
  metastore: MetastoreRepo;
  clock: Clock;
  log: Logger;
  /** The operator's buckets (`export.buckets`): result OutputLocations. */
  buckets: ExportDestinations;
  /** Results kept for GetQueryResults: `<resultsDir>/<account>/<region>/<id>.json`. */
  resultsDir: string;
  /** A query was queued: run it. */
  submit(scope: { account: string; region: string }, id: string): void;
  /** Stop a running query (StopQueryExecution). */
  cancel(scope: { account: string; region: string }, id: string): void;
}

/** Queued + running queries per account (Athena's DML concurrency quota: 20 … raised on request). */
export const MAX_ACTIVE_QUERIES = 20;
