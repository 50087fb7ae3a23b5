/**
 * The Athena module: SQL over the account's telemetry (database `osprey`: logs, metrics,
 * cloudtrail) through the Athena API — workgroups, query executions run in the telemetry engine
 * after translation from Athena's dialect (sql/), results for GetQueryResults and as CSV in the
 * OutputLocation, named queries, and the catalog APIs.
 */
import { join } from 'node:path';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { exportDestinationsFrom } from '../../store/buckets/sinks.ts';
import { getDatabase, getDataCatalog, getTableMetadata, listDatabases, listDataCatalogs, listTableMetadata } from './catalog.ts';
import type { AthenaDeps } from './deps.ts';
import { batchGetQueryExecution, getQueryExecution, getQueryRuntimeStatistics, listQueryExecutions, startQueryExecution, stopQueryExecution } from './executions.ts';
import { batchGetNamedQuery, createNamedQuery, deleteNamedQuery, getNamedQuery, listNamedQueries, updateNamedQuery } from './named-queries.ts';
import { historyRetentionJob } from './history-retention.ts';
import { batchGetPreparedStatement, createPreparedStatement, deletePreparedStatement, getPreparedStatement, listPreparedStatements, updatePreparedStatement } from './prepared-statements.ts';
import { getQueryResults } from './query-results.ts';
import { bucketOwnersFrom } from '../../store/buckets/owners.ts';
import { MetastoreStore } from './metastore/repo.ts';
import { effectiveAccessKeys } from '../../config/config.ts';
import { AthenaStore } from './repo.ts';
import { QueryRunner } from './runner.ts';
import { ATHENA_MIGRATIONS } from './schema.ts';
import { createWorkGroup, deleteWorkGroup, getWorkGroup, listWorkGroups, updateWorkGroup } from './workgroups.ts';
import './operations.ts';

export async function createAthena(env: Env): Promise<ServiceModule<'athena'>> {
  await env.migrate('athena', ATHENA_MIGRATIONS);
  const repo = new AthenaStore(env.db);
  const metastore = new MetastoreStore(env.db);
  const buckets = exportDestinationsFrom(env.config.export);
  const resultsDir = join(env.dataDir, 'athena', 'results');
  const runner = new QueryRunner({
    repo, metastore, engine: env.telemetry.engine, buckets,
    bucketOwners: bucketOwnersFrom(env.config.export.bucketOwners, effectiveAccessKeys(env.config).map((k) => k.accountId)), clock: env.clock, log: env.log, resultsDir,
    concurrency: env.config.athenaConcurrency, timeoutSeconds: env.config.athenaQueryTimeoutSeconds,
    maxMemoryBytes: 4 * 1024 ** 3, maxResultRows: 1_000_000,
  });
  const deps: AthenaDeps = {
    repo, metastore, clock: env.clock, log: env.log, buckets, resultsDir,
    submit: (s, id) => runner.submit(s, id), cancel: (s, id) => runner.cancel(s, id),
  };
  const handlers: ServiceHandlers<'athena'> = {
    StartQueryExecution: (ctx, input) => startQueryExecution(deps, ctx, input),
    GetQueryExecution: (ctx, input) => getQueryExecution(deps, ctx, input),
    BatchGetQueryExecution: (ctx, input) => batchGetQueryExecution(deps, ctx, input),
    ListQueryExecutions: (ctx, input) => listQueryExecutions(deps, ctx, input),
    StopQueryExecution: (ctx, input) => stopQueryExecution(deps, ctx, input),
    GetQueryResults: (ctx, input) => getQueryResults(deps, ctx, input),
    GetQueryRuntimeStatistics: (ctx, input) => getQueryRuntimeStatistics(deps, ctx, input),
    CreateWorkGroup: (ctx, input) => createWorkGroup(deps, ctx, input),
    GetWorkGroup: (ctx, input) => getWorkGroup(deps, ctx, input),
    ListWorkGroups: (ctx, input) => listWorkGroups(deps, ctx, input),
    UpdateWorkGroup: (ctx, input) => updateWorkGroup(deps, ctx, input),
    DeleteWorkGroup: (ctx, input) => deleteWorkGroup(deps, ctx, input),
    CreateNamedQuery: (ctx, input) => createNamedQuery(deps, ctx, input),
    GetNamedQuery: (ctx, input) => getNamedQuery(deps, ctx, input),
    BatchGetNamedQuery: (ctx, input) => batchGetNamedQuery(deps, ctx, input),
    ListNamedQueries: (ctx, input) => listNamedQueries(deps, ctx, input),
    UpdateNamedQuery: (ctx, input) => updateNamedQuery(deps, ctx, input),
    DeleteNamedQuery: (ctx, input) => deleteNamedQuery(deps, ctx, input),
    CreatePreparedStatement: (ctx, input) => createPreparedStatement(deps, ctx, input),
    GetPreparedStatement: (ctx, input) => getPreparedStatement(deps, ctx, input),
    UpdatePreparedStatement: (ctx, input) => updatePreparedStatement(deps, ctx, input),
    DeletePreparedStatement: (ctx, input) => deletePreparedStatement(deps, ctx, input),
    ListPreparedStatements: (ctx, input) => listPreparedStatements(deps, ctx, input),
    BatchGetPreparedStatement: (ctx, input) => batchGetPreparedStatement(deps, ctx, input),
    ListDataCatalogs: () => listDataCatalogs(),
    GetDataCatalog: (ctx, input) => getDataCatalog(deps, ctx, input),
    ListDatabases: (ctx, input) => listDatabases(deps, ctx, input),
    GetDatabase: (ctx, input) => getDatabase(deps, ctx, input),
    ListTableMetadata: (ctx, input) => listTableMetadata(deps, ctx, input),
    GetTableMetadata: (ctx, input) => getTableMetadata(deps, ctx, input),
  };
  return {
    name: 'athena', handlers,
    jobs: [
      { name: 'athena-queries', start: () => runner.recover(), stop: () => runner.stop() },
      historyRetentionJob(repo, resultsDir, env.clock, env.log),
    ],
    close: () => buckets.close(),
  };
}
