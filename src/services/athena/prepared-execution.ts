/**
 * Prepared statements and parameters in query executions:
 * - `PREPARE name FROM query` and `DEALLOCATE PREPARE name` (StatementType UTILITY) create or
 *   replace, and delete, the statement in the query's workgroup. They touch nothing else, so they
 *   run when submitted and the execution is recorded finished (SUCCEEDED, or FAILED with the reason).
 * - `EXECUTE name [USING v1, …]` runs the workgroup's statement with the values bound to its `?`
 *   placeholders; the values come from USING or from ExecutionParameters (not both).
 * - Any other query with ExecutionParameters gets them bound to its own placeholders.
 * Binding happens when the query runs (bindStatement, called by the runner), so errors — an
 * unknown statement, a count mismatch, a value that is not a literal — fail the query, as on Athena.
 */
import type { AthenaError } from '@aws-sdk/client-athena';
import type { Scope } from '../../lib/arn.ts';
import type { AthenaDeps } from './deps.ts';
import type { PreparedStatementRepo } from './prepared-statements-repo.ts';
import { writeResult } from './results.ts';
import { AthenaSqlError } from './sql/errors.ts';
import { bindParameters, leadingKeyword, parseParameterStatement } from './sql/parameters.ts';
import type { QueryRecord } from './types.ts';

type Bindable = Pick<QueryRecord, 'query' | 'workgroup' | 'executionParameters'>;

const notFound = (name: string) => new AthenaSqlError('NOT_FOUND', `Prepared statement not found: ${name}`);

/**
 * The text the runner translates: for EXECUTE, the workgroup's prepared statement with its values
 * bound; otherwise the query with its ExecutionParameters bound (the query itself when it has
 * neither placeholders nor parameters).
 */
export async function bindStatement(prepared: PreparedStatementRepo, scope: Scope, q: Bindable): Promise<string> {
  const params = q.executionParameters ?? [];
  if (leadingKeyword(q.query) !== 'EXECUTE') return params.length === 0 && !q.query.includes('?') ? q.query : bindParameters(q.query, params);
  const s = parseParameterStatement(q.query);
  if (s?.kind !== 'execute') throw new AthenaSqlError('SYNTAX_ERROR', 'line 1:1: EXECUTE statement_name [USING value1 [, value2, …]] was expected');
  if (s.using.length > 0 && params.length > 0) {
    throw new AthenaSqlError('INVALID_PARAMETER_USAGE', 'line 1:1: Give parameter values either in EXECUTE … USING or as ExecutionParameters, not both');
  }
  const statement = await prepared.get(scope, q.workgroup, s.name);
  if (!statement) throw notFound(s.name);
  return bindParameters(statement.query, s.using.length > 0 ? s.using : params);
}

/** PREPARE or DEALLOCATE: run when submitted, not queued. */
export const isUtilityStatement = (query: string): boolean => ['PREPARE', 'DEALLOCATE'].includes(leadingKeyword(query));

const userError = (e: AthenaSqlError): { reason: string; error: AthenaError } => {
  const reason = `${e.errorType}: ${e.message}`;
  return { reason, error: { ErrorCategory: 2, ErrorType: 1000, Retryable: false, ErrorMessage: reason } };
};

/** Runs a PREPARE or DEALLOCATE PREPARE execution; returns it finished. Its result has no columns and no rows. */
export async function runUtilityStatement(deps: AthenaDeps, scope: Scope, q: QueryRecord): Promise<QueryRecord> {
  const done = { ...q, started: q.submitted, completed: deps.clock.now(), bytesScanned: 0, resultRows: 0 };
  try {
    const s = parseParameterStatement(q.query);
    const count = q.executionParameters?.length ?? 0;
    if (count > 0) throw new AthenaSqlError('INVALID_PARAMETER_USAGE', `line 1:1: Incorrect number of parameters: expected 0 but found ${count}`);
    if (s?.kind === 'prepare') {
      await deps.repo.prepared.put(scope, { name: s.name, workgroup: q.workgroup, query: s.statement, lastModified: deps.clock.now() });
    } else if (s?.kind === 'deallocate') {
      if (!(await deps.repo.prepared.delete(scope, q.workgroup, s.name))) throw notFound(s.name);
    } else {
      throw new AthenaSqlError('SYNTAX_ERROR', 'line 1:1: PREPARE statement_name FROM statement or DEALLOCATE PREPARE statement_name was expected');
    }
  } catch (e) {
    if (e instanceof AthenaSqlError) return { ...done, state: 'FAILED', ...userError(e) };
    throw e;
  }
  writeResult(deps.resultsDir, scope, q.id, { columns: [], rows: [] });
  return { ...done, state: 'SUCCEEDED' };
}
