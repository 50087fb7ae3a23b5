/**
 * What one compilation shares: the query text (for error positions), the options, the bound
 * parameters and the alias counter. Every user value becomes a `{pN:Type}` parameter, numbered in
 * the order the compiler asks for it, so the same query always compiles to the same SQL.
 */
import { intLiteral, stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import type { Query, Span } from './ast.ts';
import { malformed } from './lexer.ts';

export interface SqlOptions {
  account: string;
  region: string;
  logGroups: readonly string[];
  /** Inclusive, ms since the epoch. */
  startMs: number;
  /** Inclusive, ms since the epoch. */
  endMs: number;
  /** StartQuery `limit`; the query's own `limit` applies too (the smaller wins). Default 10,000. */
  limit?: number;
  /** When the query started (now(), epoch ms). Default: Date.now(). */
  nowMs?: number;
}

/** Binds values as query parameters: what the value conversions need of the context. */
export interface Binder {
  str(v: string): string;
  f64(v: number): string;
}

export class SqlContext implements Binder {
  readonly params: Record<string, unknown> = {};
  private nParam = 0;
  private nAlias = 0;
  readonly text: string;
  /** The account, region, groups and time range, bound; every query reads the table through it. */
  readonly baseWhere: string;
  /** The same range with literals (see CompiledSql.scanSql). */
  readonly scanWhere: string;
  /** Some queried group is a Lambda function's: look for JSON embedded in text lines too. */
  readonly lambda: boolean;

  constructor(query: Query, readonly opts: SqlOptions) {
    this.text = query.text;
    this.lambda = opts.logGroups.some((g) => g.startsWith('/aws/lambda/'));
    this.params.q_account = opts.account;
    this.params.q_region = opts.region;
    this.params.q_groups = [...opts.logGroups];
    this.params.q_start = String(Math.trunc(opts.startMs));
    this.params.q_end = String(Math.trunc(opts.endMs));
    this.baseWhere = 'account = {q_account:String} AND region = {q_region:String} AND log_group IN {q_groups:Array(String)} ' +
      'AND ts >= {q_start:Int64} AND ts <= {q_end:Int64}' +
      // Sealed rows (AssociateKmsKey) can only be opened by the service, never evaluated in SQL.
      " AND key_id = ''";
    // The same range with literals: the scan statistics then run beside the (bound) main query
    // instead of queueing behind it (sql-literal.ts).
    this.scanWhere = `account = ${stringLiteral(opts.account)} AND region = ${stringLiteral(opts.region)} ` +
      `AND log_group IN (${opts.logGroups.map(stringLiteral).join(', ')}) ` +
      `AND ts >= ${intLiteral(Math.trunc(opts.startMs))} AND ts <= ${intLiteral(Math.trunc(opts.endMs))}`;
  }

  /** A MalformedQueryException pointing at `at` in the query text. */
  fail(message: string, at: Span): never {
    throw malformed(this.text, message, at.start, at.end);
  }

  str(v: string): string {
    const k = `p${this.nParam++}`;
    this.params[k] = v;
    return `{${k}:String}`;
  }

  f64(v: number): string {
    const k = `p${this.nParam++}`;
    this.params[k] = String(v);
    return `{${k}:Float64}`;
  }

  /** A fresh column alias for subqueries: `__b0`, `__k1`… */
  alias(prefix: string): string {
    return `__${prefix}${this.nAlias++}`;
  }
}
