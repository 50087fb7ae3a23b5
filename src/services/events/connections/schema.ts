/**
 * Connections and API destinations (events module migration 3). A connection's secrets (passwords,
 * API key values, OAuth client secrets, IsValueSecret parameters) live only in `sealed_auth`,
 * sealed with the key store under the connection's ARN; `public_auth` is the non-secret view
 * DescribeConnection returns, computed when the parameters are written so reads never open secrets.
 */
import type { Migration } from '../../../store/meta/db.ts';

export const CONNECTIONS_MIGRATION: Migration = {
  id: 3,
  name: 'events: connections and API destinations',
  sql: `
    CREATE TABLE events_connections (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      name TEXT NOT NULL,
      arn TEXT NOT NULL UNIQUE,
      secret_arn TEXT NOT NULL,
      description TEXT,
      auth_type TEXT NOT NULL,
      state TEXT NOT NULL,
      state_reason TEXT,
      public_auth TEXT NOT NULL,
      sealed_auth TEXT NOT NULL,
      kms_key_id TEXT,
      created_at INTEGER NOT NULL,
      modified_at INTEGER NOT NULL,
      authorized_at INTEGER,
      PRIMARY KEY (account, region, name)
    ) WITHOUT ROWID;
    CREATE TABLE events_api_destinations (
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      name TEXT NOT NULL,
      arn TEXT NOT NULL UNIQUE,
      description TEXT,
      connection_arn TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      http_method TEXT NOT NULL,
      rate_limit INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      modified_at INTEGER NOT NULL,
      PRIMARY KEY (account, region, name)
    ) WITHOUT ROWID;
  `,
};
