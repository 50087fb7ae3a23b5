/**
 * StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask: redrive from a dead-letter
 * queue back to each message's source queue (or a given destination). Tasks live in SQLite and a
 * runner moves messages in the background, resuming RUNNING tasks after a restart.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import type { Logger } from '../../lib/logger.ts';
import { forUpdate } from '../../store/meta/sql/locking.ts';
import { parseRedrivePolicy } from './attributes.ts';
import { arnOf, resolveArn, type SqsDeps } from './deps.ts';
import { invalidParameterValue, parseQueueArn } from './names.ts';

interface TaskRow {
  handle: string; account: string; region: string; source_arn: string; destination_arn: string | null; max_per_second: number | null;
  status: string; to_move: number; moved: number; started_at: number; failure_reason: string | null; cutoff_seq: number;
}

export class MoveTasks {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly db: Sql, private readonly deps: SqsDeps, private readonly log: Logger) {}

  async start(ctx: Ctx, input: CallInput<'sqs', 'StartMessageMoveTask'>): Promise<CallOutput<'sqs', 'StartMessageMoveTask'>> {
    const source = await resolveArn(this.deps, ctx, input.SourceArn!, 'SourceArn', 'StartMessageMoveTask');
    const sourceArn = arnOf(source);
    const isDlq = (await this.deps.repo.allQueues()).some((q) => q.account === source.account && parseRedrivePolicy(q.attributes.RedrivePolicy)?.deadLetterTargetArn === sourceArn);
    if (!isDlq) throw new ServiceError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
    if (input.DestinationArn !== undefined) await resolveArn(this.deps, ctx, input.DestinationArn, 'DestinationArn', 'SendMessage');
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (rate < 1 || rate > 500)) throw invalidParameterValue('Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be between 1 and 500.');
    const running = await this.db.get("SELECT 1 AS one FROM sqs_move_tasks WHERE source_arn = ? AND status IN ('RUNNING', 'CANCELLING')", [sourceArn]);
    if (running) throw new ServiceError('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    const cutoff = await this.deps.messages.maxSeq();
    const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn }), 'utf8').toString('base64');
    const toMove = await this.deps.messages.countUpTo(source.id, cutoff);
    await this.db.run(
      'INSERT INTO sqs_move_tasks (handle, account, region, source_arn, destination_arn, max_per_second, status, to_move, started_at, cutoff_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [handle, source.account, source.region, sourceArn, input.DestinationArn ?? null, rate ?? null, 'RUNNING', toMove, this.deps.clock.now(), cutoff],
    );
    this.kick(0);
    return { TaskHandle: handle };
  }

  async cancel(ctx: Ctx, input: CallInput<'sqs', 'CancelMessageMoveTask'>): Promise<CallOutput<'sqs', 'CancelMessageMoveTask'>> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<TaskRow>(`SELECT * FROM sqs_move_tasks WHERE handle = ? AND account = ? AND region = ?${forUpdate(tx)}`, [input.TaskHandle!, ctx.account, ctx.region]);
      if (!row) throw new ServiceError('ResourceNotFoundException', 'Task does not exist.', { status: 404 });
      if (row.status !== 'RUNNING') throw new ServiceError('UnsupportedOperation', `Task with status ${row.status} cannot be cancelled.`);
      await tx.run("UPDATE sqs_move_tasks SET status = 'CANCELLED' WHERE handle = ?", [row.handle]);
      return { ApproximateNumberOfMessagesMoved: row.moved };
    });
  }

  async list(ctx: Ctx, input: CallInput<'sqs', 'ListMessageMoveTasks'>): Promise<CallOutput<'sqs', 'ListMessageMoveTasks'>> {
    const source = await resolveArn(this.deps, ctx, input.SourceArn!, 'SourceArn', 'ListMessageMoveTasks');
    const max = input.MaxResults ?? 1;
    if (max < 1 || max > 10) throw invalidParameterValue('Value for parameter MaxResults is invalid. Reason: must be between 1 and 10.');
    // (rowid was the tie-break: a task handle carries a random id, so ties keep no insertion order on either engine)
    const rows = await this.db.all<TaskRow>('SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, handle DESC LIMIT ?', [arnOf(source), max]);
    return {
      Results: rows.map((r) => ({
        ...(r.status === 'RUNNING' ? { TaskHandle: r.handle } : {}),
        Status: r.status,
        SourceArn: r.source_arn,
        ...(r.destination_arn ? { DestinationArn: r.destination_arn } : {}),
        ...(r.max_per_second ? { MaxNumberOfMessagesPerSecond: r.max_per_second } : {}),
        ApproximateNumberOfMessagesMoved: r.moved,
        ApproximateNumberOfMessagesToMove: r.to_move,
        ...(r.failure_reason ? { FailureReason: r.failure_reason } : {}),
        StartedTimestamp: r.started_at,
      })),
    };
  }

  startRunner(): void {
    this.stopped = false;
    this.kick(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private kick(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void (async () => {
        let again = false;
        let delay = 0;
        try {
          again = await this.step();
          if (again) delay = await this.nextDelay();
        } catch (err) {
          this.log.error({ err }, 'sqs move task step failed');
        }
        if (again) this.kick(delay);
      })();
    }, ms);
    this.timer.unref();
  }

  private async nextDelay(): Promise<number> {
    const limited = await this.db.get("SELECT 1 AS one FROM sqs_move_tasks WHERE status = 'RUNNING' AND max_per_second IS NOT NULL");
    return limited ? 1000 : 0;
  }

  /** One pass over running tasks (a second's worth for rate-limited ones); true while any runs. */
  private async step(): Promise<boolean> {
    const tasks = await this.db.all<TaskRow>("SELECT * FROM sqs_move_tasks WHERE status = 'RUNNING' ORDER BY started_at, handle");
    for (const t of tasks) await this.stepTask(t);
    return tasks.length > 0;
  }

  private async stepTask(t: TaskRow): Promise<void> {
    const repo = this.deps.repo;
    // Only a task still RUNNING finishes (a cancel may land between the read and this write).
    const finish = async (status: string, reason?: string, sql: Sql = this.db) =>
      void (await sql.run("UPDATE sqs_move_tasks SET status = ?, failure_reason = ? WHERE handle = ? AND status = 'RUNNING'", [status, reason ?? null, t.handle]));
    const source = await repo.queue(parseQueueArn(t.source_arn, 'SourceArn'));
    if (!source) return finish('FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
    const limit = t.max_per_second ?? 100;
    const batch = await this.deps.messages.movable(source.id, t.cutoff_seq, this.deps.clock.now(), limit);
    if (batch.length === 0) return finish('COMPLETED');
    const moves = [];
    for (const m of batch) {
      const target = t.destination_arn ?? m.dlq_source_arn;
      const q = target ? await repo.queue(parseQueueArn(target, 'DestinationArn')) : undefined;
      if (!q) return finish('FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
      moves.push({ m, targetId: q.id });
    }
    // A short batch was the last one: the task is COMPLETED in the transaction that moves it, so a
    // client that receives the last moved message and then lists the task sees it finished.
    const last = batch.length < limit;
    await this.deps.messages.moveMessages(moves, this.deps.clock.now(), async (tx, moved) => {
      await tx.run('UPDATE sqs_move_tasks SET moved = moved + ? WHERE handle = ?', [moved, t.handle]);
      if (last) await finish('COMPLETED', undefined, tx);
    });
    for (const { targetId } of moves) this.deps.waiters.wake(targetId);
  }
}
