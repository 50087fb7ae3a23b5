/** Parameter Store's metadata tables (module migrations: ids count within `ssm`). */
import type { Migration } from '../../store/meta/db.ts';

export const SSM_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'ssm: parameters and their versions',
    sql: `
      CREATE TABLE ssm_parameters (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE ssm_parameter_versions (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        key_id TEXT,
        description TEXT,
        allowed_pattern TEXT,
        tier TEXT NOT NULL,
        data_type TEXT NOT NULL,
        modified_at INTEGER NOT NULL,
        modified_by TEXT NOT NULL,
        labels TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, region, name, version),
        FOREIGN KEY (account, region, name) REFERENCES ssm_parameters (account, region, name) ON DELETE CASCADE
      ) WITHOUT ROWID;
    `,
  },
];
