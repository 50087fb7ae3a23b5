/** Athena's metadata tables (module migrations: ids count within `athena`). */
import type { Migration } from '../../store/meta/db.ts';
import { METASTORE_MIGRATION } from './metastore/schema.ts';
import { PREPARED_STATEMENTS_MIGRATION } from './prepared-statements-repo.ts';

export const ATHENA_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'athena: workgroups, query executions, named queries, prepared statements',
    sql: `
      CREATE TABLE athena_workgroups (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        state TEXT NOT NULL,
        -- WorkGroupConfiguration as the API describes it (JSON).
        config TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE athena_queries (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        workgroup TEXT NOT NULL,
        query TEXT NOT NULL,
        statement_type TEXT NOT NULL,
        context TEXT NOT NULL,
        result_config TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        error TEXT,
        submitted INTEGER NOT NULL,
        started INTEGER,
        completed INTEGER,
        bytes_scanned INTEGER,
        result_rows INTEGER,
        -- The client's ClientRequestToken: a retried StartQueryExecution answers the same id.
        client_token TEXT,
        PRIMARY KEY (account, region, id)
      ) WITHOUT ROWID;
      CREATE INDEX athena_queries_by_workgroup ON athena_queries (account, region, workgroup, submitted);
      CREATE UNIQUE INDEX athena_queries_by_token ON athena_queries (account, region, client_token) WHERE client_token IS NOT NULL;
      CREATE TABLE athena_named_queries (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        database_name TEXT NOT NULL,
        query TEXT NOT NULL,
        workgroup TEXT NOT NULL,
        PRIMARY KEY (account, region, id)
      ) WITHOUT ROWID;
    `,
  },
  METASTORE_MIGRATION,
  PREPARED_STATEMENTS_MIGRATION,
];
