/**
 * Athena's query errors. Athena (Trino) reports a failed query as an error category plus a message
 * that points at the offending token (`line 1:8: Column 'foo' cannot be resolved`); the API shows
 * them as `${errorType}: ${message}` in the execution's StateChangeReason.
 */

export type AthenaErrorType =
  | 'SYNTAX_ERROR' | 'NOT_SUPPORTED' | 'TABLE_NOT_FOUND' | 'COLUMN_NOT_FOUND' | 'FUNCTION_NOT_FOUND' | 'TYPE_MISMATCH' | 'PERMISSION_DENIED'
  // Prepared statements and execution parameters (parameters.ts).
  | 'NOT_FOUND' | 'INVALID_PARAMETER_USAGE'
  // DDL against the metastore (ddl/).
  | 'ALREADY_EXISTS' | 'SCHEMA_NOT_FOUND' | 'SCHEMA_NOT_EMPTY' | 'PARTITION_NOT_FOUND';

export class AthenaSqlError extends Error {
  constructor(readonly errorType: AthenaErrorType, message: string) {
    super(message);
    this.name = 'AthenaSqlError';
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- node-sql-parser's AST is loosely typed */
/** A node of node-sql-parser's AST (parsed with locations, so most nodes carry `loc`). */
export type Node = any;

/** `line L:C: ` for a node parsed with locations, '' when the parser gave it none. */
export function at(node: Node): string {
  const start = node?.loc?.start;
  return start && typeof start.line === 'number' ? `line ${start.line}:${start.column}: ` : '';
}

export function fail(type: AthenaErrorType, node: Node, message: string): never {
  throw new AthenaSqlError(type, `${at(node)}${message}`);
}

export const notSupported = (node: Node, what: string): never => fail('NOT_SUPPORTED', node, `${what} is not supported`);
