/**
 * A journal checkpoint: the message and deduplication rows that changed, and the journal position
 * they bring the tables up to, in one SQLite transaction — so after a crash the rows and the
 * position agree, and replay starts right after what the rows already hold.
 */
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { Changes } from './journal-state.ts';

// Only the receive state of a message changes after it is stored (a move gives it a new seq).
const UPSERT_MESSAGE = `INSERT INTO sqs_messages (seq, queue_id, message_id, body, attributes, system_attributes, md5_body, md5_attributes,
    md5_system, sent_at, visible_at, receive_count, first_receive_at, receipt, group_id, dedup_id, sender_id, dlq_source_arn)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (seq) DO UPDATE SET visible_at = excluded.visible_at, receive_count = excluded.receive_count,
    first_receive_at = excluded.first_receive_at, receipt = excluded.receipt`;
const UPSERT_DEDUP = `INSERT INTO sqs_dedup (queue_id, scope_key, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (queue_id, scope_key) DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, expires_at = excluded.expires_at`;

export async function writeCheckpoint(db: Sql, c: Changes, lsn: number, nextSeq: number): Promise<void> {
  await db.transaction(async (tx) => {
    for (const m of c.messages) {
      await tx.run(UPSERT_MESSAGE, [m.seq, m.queue_id, m.message_id, m.body, m.attributes, m.system_attributes, m.md5_body, m.md5_attributes,
        m.md5_system, m.sent_at, m.visible_at, m.receive_count, m.first_receive_at, m.receipt, m.group_id, m.dedup_id, m.sender_id, m.dlq_source_arn]);
    }
    for (const seq of c.deletedSeqs) await tx.run('DELETE FROM sqs_messages WHERE seq = ?', [seq]);
    for (const { queueId, key, entry } of c.dedup) await tx.run(UPSERT_DEDUP, [queueId, key, entry.messageId, entry.seq, entry.expiresAt]);
    for (const { queueId, key } of c.deletedDedup) await tx.run('DELETE FROM sqs_dedup WHERE queue_id = ? AND scope_key = ?', [queueId, key]);
    await tx.run('UPDATE sqs_journal SET lsn = ?, next_seq = ? WHERE id = 1', [lsn, nextSeq]);
  });
}
