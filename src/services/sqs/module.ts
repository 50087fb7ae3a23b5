/**
 * Amazon SQS (awsJson1_0 for current clients, awsQuery for older ones; both from one model):
 * standard and FIFO queues, long polling, visibility timeouts, dead-letter queues and redrive
 * tasks, retention. Queues are metadata rows; messages are rows too on PostgreSQL (several nodes
 * share them), and memory + a write-ahead journal checkpointed into those rows with the embedded
 * SQLite store (store/journal-store.ts). Either way an acknowledged change is durable first.
 */
import { PeriodicTask } from '../../jobs/periodic-task.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import type { SqsDeps } from './deps.ts';
import { deleteMessage, deleteMessageBatch, changeMessageVisibility, changeMessageVisibilityBatch } from './messages.ts';
import { CommitGroup } from '../../store/meta/commit-group.ts';
import { join } from 'node:path';
import { MoveTasks } from './move-tasks.ts';
import { addPermission, removePermission } from './permissions.ts';
import {
  createQueue, deleteQueue, getQueueAttributes, getQueueUrl, listDeadLetterSourceQueues, listQueues, purgeQueue, setQueueAttributes,
} from './queues.ts';
import { receiveMessage } from './receive.ts';
import { SqsRepo } from './repo.ts';
import { JournalMessageStore } from './store/journal-store.ts';
import { SqlMessageStore } from './store/sql-messages.ts';
import { expireMessages } from './retention.ts';
import { SQS_MIGRATIONS } from './schema.ts';
import { sendMessage, sendMessageBatch } from './send.ts';
import { listQueueTags, tagQueue, untagQueue } from './tags.ts';
import { Waiters } from './waiters.ts';
import './operations.ts';

/** Sends on one node wake long polls on the others (PostgreSQL metadata only). */
const WAKE_CHANNEL = 'osprey.sqs.wake';
/** A long poll on a cluster re-checks its queue this often, in case a wake notification was missed. */
const CLUSTER_RECHECK_MS = 1000;

/** How often retention runs (expired messages, deduplication ids, deleted-queue names). */
const RETENTION_INTERVAL_MS = 60_000;

export async function createSqs(env: Env): Promise<ServiceModule<'sqs'>> {
  await env.migrate('sqs', SQS_MIGRATIONS);
  const waiters = new Waiters(env.db.dialect === 'postgres' ? {
    broadcast: (ids) => void env.db.notify(WAKE_CHANNEL, ids.join(',')).catch((err: unknown) => env.log.warn({ err }, 'sqs: cross-node wake failed')),
    recheckMs: CLUSTER_RECHECK_MS,
  } : undefined);
  const unlisten = env.db.dialect === 'postgres'
    ? env.db.listen(WAKE_CHANNEL, (payload) => waiters.wakeFromPeer(payload.split(',').map(Number)))
    : () => {};
  const repo = new SqsRepo(env.db, env.changes);
  // One process owns an SQLite data directory (its lock), so its messages can live in its memory.
  const messages = env.db.dialect === 'sqlite'
    ? await JournalMessageStore.open({ db: env.db, repo, dir: join(env.dataDir, 'wal', 'sqs'), fsync: env.config.fsync, log: env.log, checkpointMs: env.config.sqsCheckpointMs })
    : new SqlMessageStore(env.db, repo, new CommitGroup(env.db));
  const deps: SqsDeps = { repo, messages, clock: env.clock, waiters, publicUrl: env.publicUrl };
  const moves = new MoveTasks(env.db, deps, env.log);
  const retention = new PeriodicTask('sqs-retention', RETENTION_INTERVAL_MS, async () => void (await expireMessages(deps)), env.log);
  const handlers: ServiceHandlers<'sqs'> = {
    CreateQueue: (ctx, input) => createQueue(deps, ctx, input),
    DeleteQueue: (ctx, input) => deleteQueue(deps, ctx, input),
    ListQueues: (ctx, input) => listQueues(deps, ctx, input),
    GetQueueUrl: (ctx, input) => getQueueUrl(deps, ctx, input),
    GetQueueAttributes: (ctx, input) => getQueueAttributes(deps, ctx, input),
    SetQueueAttributes: (ctx, input) => setQueueAttributes(deps, ctx, input),
    PurgeQueue: (ctx, input) => purgeQueue(deps, ctx, input),
    ListDeadLetterSourceQueues: (ctx, input) => listDeadLetterSourceQueues(deps, ctx, input),
    TagQueue: (ctx, input) => tagQueue(deps, ctx, input),
    UntagQueue: (ctx, input) => untagQueue(deps, ctx, input),
    ListQueueTags: (ctx, input) => listQueueTags(deps, ctx, input),
    AddPermission: (ctx, input) => addPermission(deps, ctx, input),
    RemovePermission: (ctx, input) => removePermission(deps, ctx, input),
    SendMessage: (ctx, input) => sendMessage(deps, ctx, input),
    SendMessageBatch: (ctx, input) => sendMessageBatch(deps, ctx, input),
    ReceiveMessage: (ctx, input) => receiveMessage(deps, ctx, input),
    DeleteMessage: (ctx, input) => deleteMessage(deps, ctx, input),
    DeleteMessageBatch: (ctx, input) => deleteMessageBatch(deps, ctx, input),
    ChangeMessageVisibility: (ctx, input) => changeMessageVisibility(deps, ctx, input),
    ChangeMessageVisibilityBatch: (ctx, input) => changeMessageVisibilityBatch(deps, ctx, input),
    StartMessageMoveTask: (ctx, input) => moves.start(ctx, input),
    ListMessageMoveTasks: (ctx, input) => moves.list(ctx, input),
    CancelMessageMoveTask: (ctx, input) => moves.cancel(ctx, input),
  };
  return {
    name: 'sqs',
    handlers,
    jobs: [
      { name: 'sqs-retention', start: () => retention.start(), stop: () => retention.stop() },
      { name: 'sqs-move-tasks', start: () => moves.startRunner(), stop: async () => moves.stop() },
    ],
    drain: () => { unlisten(); deps.waiters.drain(); },
    close: () => messages.close(),
  };
}
