/**
 * Parsing: node-sql-parser's Trino grammar, with locations (for Athena's `line L:C:` messages).
 * Statements other than one query are refused before or after parsing, each with the category
 * Athena gives it; parse errors are reported in Trino's `mismatched input` form.
 */
import pkg from 'node-sql-parser';
import { AthenaSqlError, type Node } from './errors.ts';
import { filterNonce, rewriteFilterClauses } from './filter-clause.ts';
import { maskBackslashes, unmaskBackslashes } from './literals.ts';
import { extractSubqueries, type Extracted } from './subqueries.ts';
import { addUnnestAs } from './unnest-alias.ts';

const parser = new pkg.Parser();
const MAX_PAREN_DEPTH = 64;

const DDL = new Set(['CREATE', 'DROP', 'ALTER', 'MSCK', 'TRUNCATE', 'COMMENT', 'RENAME']);
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UNLOAD', 'VACUUM', 'OPTIMIZE', 'COPY']);
const OTHER = new Set([
  'GRANT', 'REVOKE', 'SET', 'RESET', 'USE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'PREPARE', 'EXECUTE', 'DEALLOCATE', 'CALL',
  'START', 'COMMIT', 'ROLLBACK', 'ANALYZE', 'REFRESH', 'KILL', 'SYSTEM', 'ATTACH', 'DETACH', 'EXCHANGE', 'CHECK', 'WATCH',
]);
const STARTS = ['SELECT', 'WITH', 'VALUES', 'TABLE', '('];

/** The first word of the statement, skipping whitespace and comments. */
export function firstWord(statement: string): { word: string; offset: number } {
  const m = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(statement);
  const offset = m ? m[0].length : 0;
  const word = /^[A-Za-z_]+|^\(/.exec(statement.slice(offset))?.[0] ?? statement.slice(offset, offset + 1);
  return { word, offset };
}

function refuseStatementKind(statement: string): void {
  const { word } = firstWord(statement);
  const kw = word.toUpperCase();
  if (DDL.has(kw)) {
    const what = /^\s*\w+\s+(?:OR\s+REPLACE\s+)?(EXTERNAL\s+)?(\w+)/i.exec(statement.slice(firstWord(statement).offset));
    const object = what ? `${kw} ${(what[1] ?? '').toUpperCase()}${what[2]!.toUpperCase()}` : kw;
    throw new AthenaSqlError('NOT_SUPPORTED', `${object} is not supported; only SELECT queries (and WITH … SELECT) run here, and the osprey tables are read-only`);
  }
  if (DML.has(kw)) throw new AthenaSqlError('NOT_SUPPORTED', `${kw} is not supported; the osprey tables are read-only`);
  if (OTHER.has(kw)) throw new AthenaSqlError('NOT_SUPPORTED', `${kw} statements are not supported; only SELECT queries run here`);
}

/** Refuses input that would make the parser recurse without bound, before it runs. */
function checkNesting(statement: string): void {
  let depth = 0;
  let max = 0;
  for (const c of statement) {
    if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth--;
  }
  if (max > MAX_PAREN_DEPTH) throw new AthenaSqlError('NOT_SUPPORTED', `The statement is nested too deeply (more than ${MAX_PAREN_DEPTH} levels of parentheses)`);
}

export interface Parsed {
  ast: Node;
  /** Subqueries lifted out of positions the grammar cannot parse (see subqueries.ts). */
  lifted: Extracted['lifted'];
}

export function parseStatement(statement: string): Parsed {
  refuseStatementKind(statement);
  checkNesting(statement);
  const nonce = filterNonce();
  const text = addUnnestAs(statement);
  const { sql, lifted } = extractSubqueries(rewriteFilterClauses(maskBackslashes(text), nonce), parseQueryText);
  lifted.set(`fl_${nonce}`, { kind: 'filter' });
  return { ast: parseQueryText(sql, text), lifted };
}

/** Parses one query's text (the statement, or a lifted subquery) into its SELECT node. */
function parseQueryText(sql: string, original = sql): Node {
  // `original` is only for error positions; the masked text has the same length.
  let ast: Node;
  try {
    ast = unmaskBackslashes(parser.astify(sql, { database: 'trino', parseOptions: { includeLocations: true } } as never));
  } catch (e) {
    throw syntaxError(e, original);
  }
  const statements: Node[] = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) throw new AthenaSqlError('SYNTAX_ERROR', 'Only one sql statement is allowed');
  const [stmt] = statements;
  if (stmt?.type !== 'select') {
    const kw = String(stmt?.type ?? 'this').toUpperCase();
    throw new AthenaSqlError('NOT_SUPPORTED', `${kw} is not supported; only SELECT queries run here`);
  }
  return stmt;
}

function syntaxError(e: unknown, sql: string): AthenaSqlError {
  if (e instanceof RangeError) return new AthenaSqlError('NOT_SUPPORTED', 'The statement is nested too deeply');
  if (/invalid column clause with select statement/.test(String((e as Error)?.message))) {
    return new AthenaSqlError('NOT_SUPPORTED', 'A subquery in this position is not supported (use it in FROM, IN (…), EXISTS (…) or as a value)');
  }
  const err = e as { message?: string; location?: { start?: { offset: number; line: number; column: number } }; expected?: { type: string; text?: string }[] };
  const { word, offset } = firstWord(sql);
  if (!STARTS.includes(word.toUpperCase())) {
    return new AthenaSqlError('SYNTAX_ERROR', `line ${lineCol(sql, offset)}: mismatched input '${word.slice(0, 40)}'. Expecting: 'SELECT', 'WITH'`);
  }
  const start = err.location?.start;
  if (!start) return new AthenaSqlError('SYNTAX_ERROR', `${String(err.message ?? e).split('\n')[0]!.slice(0, 200)}`);
  const token = /^(?:[A-Za-z_][\w]*|\d+|'[^']*'?|"[^"]*"?|\S)/.exec(sql.slice(start.offset))?.[0] ?? '<EOF>';
  const expected = [...new Set((err.expected ?? [])
    .filter((x) => x.type === 'literal' && /^[A-Za-z_,()=<>]+$/.test(x.text ?? '') && !['--', '/*', '//'].includes(x.text!))
    .map((x) => `'${x.text!.toUpperCase()}'`))].slice(0, 12);
  const expecting = expected.length ? expected.join(', ') : '<expression>';
  return new AthenaSqlError('SYNTAX_ERROR', `line ${start.line}:${start.column}: mismatched input '${token.slice(0, 40)}'. Expecting: ${expecting}`);
}

function lineCol(sql: string, offset: number): string {
  const before = sql.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}
