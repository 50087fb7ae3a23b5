/** SQS's metadata tables (module migrations: ids count within `sqs`). Times are epoch milliseconds. */
import type { Migration } from '../../store/meta/db.ts';

export const SQS_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'sqs: queues, messages, deduplication, move tasks',
    sql: `
      CREATE TABLE sqs_queues (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        purged_at INTEGER,
        UNIQUE (account, region, name)
      );
      CREATE TABLE sqs_deleted_queues (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        deleted_at INTEGER NOT NULL,
        PRIMARY KEY (account, region, name)
      ) WITHOUT ROWID;
      -- seq orders messages (FIFO order, SequenceNumber); visible_at is absolute so visibility
      -- timeouts and delays survive restarts; receipt is the token of the latest receive.
      CREATE TABLE sqs_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        queue_id INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        attributes TEXT,
        system_attributes TEXT,
        md5_body TEXT NOT NULL,
        md5_attributes TEXT,
        md5_system TEXT,
        sent_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive_at INTEGER,
        receipt TEXT,
        group_id TEXT,
        dedup_id TEXT,
        sender_id TEXT NOT NULL,
        dlq_source_arn TEXT
      );
      CREATE INDEX sqs_messages_visible ON sqs_messages (queue_id, visible_at, seq);
      CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id, visible_at);
      CREATE TABLE sqs_dedup (
        queue_id INTEGER NOT NULL,
        scope_key TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, scope_key)
      ) WITHOUT ROWID;
      CREATE TABLE sqs_move_tasks (
        handle TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        source_arn TEXT NOT NULL,
        destination_arn TEXT,
        max_per_second INTEGER,
        status TEXT NOT NULL,
        to_move INTEGER NOT NULL,
        moved INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        failure_reason TEXT,
        cutoff_seq INTEGER NOT NULL
      );
      CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_arn, started_at);
    `,
  },
  {
    id: 2,
    name: 'sqs: group index only over messages with a group',
    // Standard queues' messages have no group: indexing them cost every receive and delete one more
    // index update (the index moves with visible_at) for a lookup only FIFO receives make.
    sql: `
      DROP INDEX sqs_messages_group;
      CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id, visible_at) WHERE group_id IS NOT NULL;
    `,
  },
  {
    id: 3,
    name: 'sqs: FIFO messages in send order per queue',
    // A FIFO receive walks its queue in seq order and stops after a few messages; without this the
    // planner sorted every visible message of the queue on each receive.
    sql: 'CREATE INDEX sqs_messages_fifo_order ON sqs_messages (queue_id, seq) WHERE group_id IS NOT NULL;',
  },
  {
    id: 4,
    name: 'sqs: the message journal checkpoint',
    // With the embedded (SQLite) store, messages live in memory and a journal; sqs_messages and
    // sqs_dedup are its checkpoint, and this row says which journal records they already hold.
    sql: 'CREATE TABLE sqs_journal (id INTEGER PRIMARY KEY, lsn BIGINT NOT NULL, next_seq BIGINT NOT NULL);',
  },
];
