import type { Migration } from '../../../store/meta/db.ts';

/**
 * Digest tables, applied as module `cloudtrail-digest` (ids count within it).
 *
 * - keys: one signing key pair per (account, region).
 * - files: log files delivered to a validated trail's bucket, until the digest listing them is
 *   written; `digest_id` is set in the same transaction that records that digest, so each file is
 *   listed by exactly one digest.
 * - digests: per (trail, region) the last written digest (the chain's head: the next digest points
 *   at it) and at most one `pending` digest: recorded with its exact bytes and signature before the
 *   object is written, so a crash between is repaired by writing the same object again.
 */
export const DIGEST_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'cloudtrail digests: signing keys, delivered log files, digest chain',
    sql: `
      CREATE TABLE IF NOT EXISTS cloudtrail_digest_keys (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        public_der BLOB NOT NULL,
        private_pem TEXT NOT NULL,
        valid_from INTEGER NOT NULL,
        PRIMARY KEY (account, region)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS cloudtrail_digest_files (
        trail_arn TEXT NOT NULL,
        region TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        hash TEXT NOT NULL,
        oldest INTEGER NOT NULL,
        newest INTEGER NOT NULL,
        delivered_at INTEGER NOT NULL,
        digest_id INTEGER,
        PRIMARY KEY (trail_arn, bucket, key)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS cloudtrail_digest_files_pending ON cloudtrail_digest_files (trail_arn, region, digest_id);
      CREATE TABLE IF NOT EXISTS cloudtrail_digests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        trail_arn TEXT NOT NULL,
        region TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'written')),
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        end_time INTEGER NOT NULL,
        hash TEXT NOT NULL,
        signature TEXT NOT NULL,
        body BLOB
      );
      CREATE INDEX IF NOT EXISTS cloudtrail_digests_chain ON cloudtrail_digests (trail_arn, region, state);
    `,
  },
];
