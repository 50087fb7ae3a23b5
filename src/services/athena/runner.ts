/**
 * Runs queued query executions: QUEUED → RUNNING → SUCCEEDED / FAILED / CANCELLED. The statement is
 * translated (sql/) against the caller's catalog — so it only ever reads that account's and
 * Region's rows — and runs in the telemetry engine with Athena's limits as ClickHouse settings
 * (the workgroup's BytesScannedCutoffPerQuery, a time limit, a memory limit, a result-row cap).
 * The result is kept for GetQueryResults and written as CSV to the OutputLocation, if any.
 */
import type { AthenaError } from '@aws-sdk/client-athena';
import type { Scope } from '../../lib/arn.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import type { SqlEngine } from '../../store/telemetry/engine.ts';
import { stringLiteral } from '../../store/telemetry/sql-literal.ts';
import { athenaType, renderValue } from './column-types.ts';
import type { DdlContext } from './ddl/context.ts';
import { executeDdl } from './ddl/execute.ts';
import { parseDdl } from './ddl/parser.ts';
import { BucketAccess } from './metastore/locations.ts';
import { loadCatalog } from './metastore/query-catalog.ts';
import type { MetastoreRepo } from './metastore/repo.ts';
import { parseOutputLocation } from './output-location.ts';
import { bindStatement } from './prepared-execution.ts';
import type { AthenaRepo } from './repo.ts';
import { toCsv, writeResult, type StoredResult } from './results.ts';
import { AthenaSqlError, translate } from './sql/index.ts';
import { renderRowValue, rendersAsRow } from './sql/row-type.ts';
import type { QueryRecord } from './types.ts';

export interface RunnerOptions {
  repo: AthenaRepo;
  metastore: MetastoreRepo;
  /** Who may read each bucket through external tables (locations.ts). */
  bucketOwners: (bucket: string) => readonly string[];
  engine: SqlEngine;
  buckets: ExportDestinations;
  clock: Clock;
  log: Logger;
  resultsDir: string;
  /** Queries executing at once in this process. */
  concurrency: number;
  /** The query time limit (config athenaQueryTimeoutSeconds). */
  timeoutSeconds: number;
  maxMemoryBytes: number;
  /** Rows a result may have (Osprey keeps results on local disk). */
  maxResultRows: number;
}

/** ClickHouse error codes that are the user's doing (limits, bad data), not the engine failing. */
const USER_CLICKHOUSE_ERRORS = new Set([159, 160, 241, 307, 396, 6, 27, 38, 41, 53, 69, 70, 72, 76]);

const userError = (message: string): AthenaError => ({ ErrorCategory: 2, ErrorType: 1000, Retryable: false, ErrorMessage: message });

function settingsOf(o: RunnerOptions, cutoff: number | undefined, required: Record<string, string | number>): string {
  const s = [
    ...Object.entries(required).map(([k, v]) => `${k} = ${typeof v === 'string' ? stringLiteral(v) : Number(v)}`),
    `max_execution_time = ${o.timeoutSeconds}`, `max_memory_usage = ${o.maxMemoryBytes}`,
    `max_result_rows = ${o.maxResultRows}`, "result_overflow_mode = 'throw'",
  ];
  if (cutoff !== undefined) s.push(`max_bytes_to_read = ${Math.floor(cutoff)}`, "read_overflow_mode = 'throw'");
  return ` SETTINGS ${s.join(', ')}`;
}

/** Why a query failed, in Athena's terms. */
function failure(e: unknown): { reason: string; error: AthenaError } {
  if (e instanceof AthenaSqlError) {
    const reason = `${e.errorType}: ${e.message}`;
    return { reason, error: userError(reason) };
  }
  const err = e as { message?: string; clickhouseCode?: number };
  const msg = String(err.message ?? e).split('\n')[0]!.slice(0, 1000);
  if (err.clickhouseCode === 307) return { reason: `Query cancelled: the BytesScannedCutoffPerQuery limit of this workgroup was exceeded (${msg})`, error: userError(msg) };
  if (err.clickhouseCode === 159) return { reason: `Query timeout: ${msg}`, error: { ErrorCategory: 1, ErrorType: 206, Retryable: false, ErrorMessage: msg } };
  if (err.clickhouseCode === 396) return { reason: `Query exhausted resources: the result has more rows than Osprey keeps (${msg})`, error: userError(msg) };
  if (err.clickhouseCode !== undefined && USER_CLICKHOUSE_ERRORS.has(err.clickhouseCode)) return { reason: `INVALID_FUNCTION_ARGUMENT: ${msg}`, error: userError(msg) };
  return { reason: `Internal error: ${msg}`, error: { ErrorCategory: 1, ErrorType: 200, Retryable: true, ErrorMessage: msg } };
}

export class QueryRunner {
  private readonly waiting: { scope: Scope; id: string }[] = [];
  private readonly aborts = new Map<string, AbortController>();
  private running = 0;
  private stopped = false;

  constructor(private readonly o: RunnerOptions) {}

  submit(scope: Scope, id: string): void {
    if (this.stopped) return;
    this.waiting.push({ scope, id });
    this.pump();
  }

  /** Aborts a running query; a queued one is cancelled by its handler before it starts. */
  cancel(scope: Scope, id: string): void {
    this.aborts.get(`${scope.account}/${scope.region}/${id}`)?.abort();
  }

  /** After a restart: queries that were queued or running never finished. */
  async recover(): Promise<void> {
    for (const q of await this.o.repo.activeQueries()) {
      const reason = 'Osprey restarted while the query was queued or running; run it again.';
      await this.o.repo.updateQuery(q, { ...q, state: 'FAILED', reason, error: { ErrorCategory: 1, ErrorType: 100, Retryable: true, ErrorMessage: reason }, completed: this.o.clock.now() });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    for (const a of this.aborts.values()) a.abort();
    while (this.running > 0) await new Promise((r) => setTimeout(r, 20));
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      void this.execute(next.scope, next.id)
        .catch((err) => this.o.log.error({ err, query: next.id }, 'athena: query execution failed unexpectedly'))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  private async execute(scope: Scope, id: string): Promise<void> {
    const q = await this.o.repo.query(scope, id);
    const started = this.o.clock.now();
    // Claimed atomically: a StopQueryExecution that got there first keeps the query CANCELLED.
    if (!q || !(await this.o.repo.claimQuery(scope, id, started))) return;
    const key = `${scope.account}/${scope.region}/${id}`;
    const abort = new AbortController();
    this.aborts.set(key, abort);
    let outcome: QueryRecord = { ...q, state: 'RUNNING', started };
    try {
      outcome = await this.run(scope, outcome, abort.signal);
    } catch (e) {
      outcome = { ...outcome, state: 'FAILED', ...failure(e) };
    } finally {
      this.aborts.delete(key);
    }
    // A query stopped meanwhile stays CANCELLED (finishQuery writes only over RUNNING).
    await this.o.repo.finishQuery(scope, { ...outcome, completed: this.o.clock.now() });
  }

  private async run(scope: Scope, q: QueryRecord, signal: AbortSignal): Promise<QueryRecord> {
    const statement = await bindStatement(this.o.repo.prepared, scope, q);
    const ddl = parseDdl(statement);
    const { result, bytesRead } = ddl
      ? { result: await executeDdl(this.ddlContext(scope, q), ddl), bytesRead: 0 }
      : await this.select(scope, q, statement, signal);
    writeResult(this.o.resultsDir, scope, q.id, result);
    const loc = q.resultConfig.OutputLocation;
    if (loc) {
      const target = parseOutputLocation(loc, this.o.buckets);
      try {
        // Athena writes DDL results as text, query results as CSV.
        const file = ddl ? `${target.prefix}${q.id}.txt` : `${target.prefix}${q.id}.csv`;
        const body = ddl ? result.rows.map((r) => r.join('\t')).join('\n') + (result.rows.length ? '\n' : '') : toCsv(result);
        await this.o.buckets.sink(target.bucket)!.put(file, Buffer.from(body));
      } catch (e) {
        const msg = `Unable to write query results to ${loc}: ${(e as Error).message}`;
        return { ...q, state: 'FAILED', reason: msg, error: { ErrorCategory: 1, ErrorType: 401, Retryable: true, ErrorMessage: msg }, bytesScanned: bytesRead };
      }
    }
    return { ...q, state: 'SUCCEEDED', bytesScanned: bytesRead, resultRows: result.rows.length };
  }

  private access(scope: Scope): BucketAccess {
    return new BucketAccess(this.o.buckets, this.o.bucketOwners, scope.account);
  }

  private ddlContext(scope: Scope, q: QueryRecord): DdlContext {
    const database = (q.context.Database ?? 'default').toLowerCase();
    return {
      scope, repo: this.o.metastore, access: this.access(scope), now: this.o.clock.now(), database,
      viewColumns: async (query) => {
        const t = translate(query, await loadCatalog(this.o.metastore, this.access(scope), scope, database, query));
        return t.columns.map((name, i) => ({ name, type: t.columnTypes[i] ?? 'unknown' }));
      },
    };
  }

  private async select(scope: Scope, q: QueryRecord, statement: string, signal: AbortSignal): Promise<{ result: StoredResult; bytesRead: number }> {
    const w = await this.o.repo.workgroup(scope, q.workgroup);
    const catalog = await loadCatalog(this.o.metastore, this.access(scope), scope, q.context.Database, statement);
    const translated = translate(statement, catalog);
    const settings = { ...catalog.settings(), ...translated.settings };
    const out = await this.o.engine.select(translated.sql + settingsOf(this.o, w?.config.BytesScannedCutoffPerQuery, settings), { signal });
    // Row (struct) values travel as JSON text: their declared type renders them.
    const types = out.columns.map((c, i) => (rendersAsRow(translated.columnTypes[i] ?? '') ? translated.columnTypes[i]! : athenaType(c.type)));
    const render = (v: unknown, t: string) => (rendersAsRow(t) ? renderRowValue(v, t) : renderValue(v, t));
    const result: StoredResult = {
      columns: translated.columns.map((name, i) => ({ name, type: types[i] ?? 'varchar' })),
      rows: out.rows.map((r) => r.map((v, i) => render(v, types[i] ?? 'varchar') ?? null)),
    };
    return { result, bytesRead: out.bytesRead };
  }
}
