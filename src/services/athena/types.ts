/** What Osprey keeps of Athena's workgroups, query executions and named queries. */
import type { AthenaError, QueryExecutionContext, QueryExecutionState, ResultConfiguration, WorkGroupConfiguration } from '@aws-sdk/client-athena';

export interface WorkGroupRecord {
  name: string;
  description?: string;
  state: 'ENABLED' | 'DISABLED';
  config: WorkGroupConfiguration;
  createdAt: number;
  tags: Record<string, string>;
}

export interface QueryRecord {
  id: string;
  workgroup: string;
  query: string;
  statementType: 'DML' | 'DDL' | 'UTILITY';
  context: QueryExecutionContext;
  /** The effective result configuration (the workgroup's when it enforces, else the request's over it). */
  resultConfig: ResultConfiguration;
  state: QueryExecutionState;
  reason?: string;
  error?: AthenaError;
  submitted: number;
  started?: number;
  completed?: number;
  bytesScanned?: number;
  resultRows?: number;
  clientToken?: string;
  /** StartQueryExecution's ExecutionParameters: values for the `?` placeholders (prepared-execution.ts). */
  executionParameters?: string[];
}

export interface NamedQueryRecord {
  id: string;
  name: string;
  description?: string;
  database: string;
  query: string;
  workgroup: string;
}
