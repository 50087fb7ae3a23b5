/** The schema registry's metadata tables (module migrations: ids count within `schemas`). */
import type { Migration } from '../../store/meta/db.ts';

export const SCHEMAS_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'schemas: registries, schemas, versions, discoverers',
    sql: `
      CREATE TABLE schemas_registries (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        policy TEXT,
        policy_revision TEXT,
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      CREATE TABLE schemas_schemas (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        registry TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        last_modified INTEGER NOT NULL,
        -- Versions are never reused, even after DeleteSchemaVersion: the next one is max ever + 1.
        last_version INTEGER NOT NULL,
        -- Discovered schemas only: the merged inferred shape (JSON), so new events extend it.
        discovered_shape TEXT,
        PRIMARY KEY (account, region, registry, name),
        FOREIGN KEY (account, region, registry) REFERENCES schemas_registries (account, region, name) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE TABLE schemas_versions (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        registry TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        type TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account, region, registry, name, version),
        FOREIGN KEY (account, region, registry, name) REFERENCES schemas_schemas (account, region, registry, name) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE TABLE schemas_discoverers (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        source_arn TEXT NOT NULL,
        description TEXT,
        state TEXT NOT NULL,
        cross_account INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, id)
      ) WITHOUT ROWID;
      CREATE INDEX schemas_discoverers_source ON schemas_discoverers (account, region, source_arn);
    `,
  },
];
