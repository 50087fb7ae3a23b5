/**
 * Sends `scheduler.target` outbox rows: renders the target's body (Input with context attributes,
 * or `{}`), invokes the target as scheduler.amazonaws.com, and applies the target's RetryPolicy —
 * retryable failures go back to the delivery worker (with its backoff) until MaximumRetryAttempts
 * or MaximumEventAgeInSeconds is exhausted (Scheduler's defaults: 185 retries, 24 hours); then, or at
 * once for failures no retry fixes, the body goes to the dead-letter queue with Scheduler's
 * attributes. The models only admit SQS queues there; SNS topics and log groups are delivered to
 * as well (an extension for internal callers; the wire's pattern refuses them).
 *
 * Occurrences are fired a few seconds ahead (runner.ts): before a first attempt, a row is checked
 * against its schedule — one read of the change count per batch, each schedule only when something
 * changed since the row was written — and not sent when the schedule was deleted, disabled or
 * updated in between (the update's own timer fires the occurrence with the new settings).
 */
import type { Logger } from '../../lib/logger.ts';
import type { DeliveryHandler, DeliveryResult } from '../../jobs/delivery-worker.ts';
import type { OutboxRow } from '../../store/meta/outbox.ts';
import type { SchedulerRepo } from './repo.ts';
import { invokeTarget, type InvokeDeps, type InvokeOutcome } from '../../server/targets/invoke.ts';
import { targetRef, type TargetRef } from '../../server/targets/target-ref.ts';
import { newExecutionId, renderInput } from './input.ts';
import { SCHEDULER_PRINCIPAL, TARGET_TOPIC, type ScheduledInvocation } from './invocation.ts';

/** RetryPolicy defaults (Target API reference / user guide, "Configuring a retry policy"). */
const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;
/** Held sends let go per event-loop turn at their due time (about the sockets per origin). */
const RELEASE_CHUNK = 256;

type Failure = Extract<InvokeOutcome, { ok: false }>;
type Result = { ok: true } | Omit<Extract<DeliveryResult, { ok: false }>, 'id'>;

export interface SchedulerDeliveryDeps {
  invoke: InvokeDeps;
  /** The schedules, to check rows fired ahead and to delete a completed schedule. */
  schedules: Pick<SchedulerRepo, 'generation' | 'schedule' | 'deleteSchedule'>;
  log: Logger;
  now: () => number;
}

const parse = (row: OutboxRow): ScheduledInvocation | Error => {
  try {
    return JSON.parse(row.payload) as ScheduledInvocation;
  } catch (e) {
    return e as Error;
  }
};

/** The request body for a target kind: an event for a bus (EventBridgeParameters' Source and DetailType, Input as Detail). */
export function bodyFor(ref: TargetRef, inv: ScheduledInvocation, rendered: string): string {
  if (ref.kind !== 'event-bus') return rendered;
  const p = inv.target.EventBridgeParameters;
  return JSON.stringify({ source: p?.Source ?? '', 'detail-type': p?.DetailType ?? '', detail: JSON.parse(rendered) as unknown, resources: [inv.scheduleArn] });
}

export class SchedulerDelivery implements DeliveryHandler {
  readonly topic = TARGET_TOPIC;
  /** Each row is its own invocation, sent concurrently and in no order: claim ahead of slow answers. */
  readonly concurrentBatches = 24;
  /** Rows fired ahead are claimed and prepared up to this long before due, then sent at their time. */
  readonly claimAheadMs = 1000;
  /** One timer per due time for every send held until it (thousands share a second). */
  private readonly holds = new Map<number, (() => void)[]>();

  constructor(private readonly deps: SchedulerDeliveryDeps) {}

  async deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]> {
    const invocations = rows.map(parse);
    const checked = invocations.some((inv, i) => !(inv instanceof Error) && rows[i]!.attempts === 0 && inv.generation !== undefined);
    const generation = checked ? await this.deps.schedules.generation() : undefined;
    return Promise.all(rows.map(async (row, i) => {
      const inv = invocations[i]!;
      if (inv instanceof Error) return { id: row.id, ok: false, permanent: true, error: `unreadable outbox payload: ${inv.message}` };
      if (row.attempts === 0 && inv.generation !== undefined && inv.generation !== generation && !(await this.stillDue(inv))) {
        this.deps.log.info({ schedule: inv.scheduleArn, scheduledAt: new Date(inv.scheduledAt).toISOString() }, 'scheduler: the schedule changed before this occurrence was due; not sent');
        return { id: row.id, ok: true };
      }
      const result = await this.one(row, inv, signal);
      if (result.ok && inv.deleteAfter) await this.complete(inv);
      return { id: row.id, ...result } as DeliveryResult;
    }));
  }

  /** Whether the schedule is as it was when the occurrence fired (ahead of time). */
  private async stillDue(inv: ScheduledInvocation): Promise<boolean> {
    const s = await this.deps.schedules.schedule({ account: inv.account, region: inv.region }, inv.group, inv.name);
    return s !== undefined && s.state === 'ENABLED' && s.revision === inv.revision;
  }

  /** ActionAfterCompletion DELETE: the last invocation is done; the schedule goes unless it was changed since. */
  private async complete(inv: ScheduledInvocation): Promise<void> {
    if (await this.stillDue(inv)) await this.deps.schedules.deleteSchedule({ account: inv.account, region: inv.region }, inv.group, inv.name);
  }

  private async one(row: OutboxRow, inv: ScheduledInvocation, signal: AbortSignal): Promise<Result> {
    const body = renderInput(inv.target.Input, { scheduleArn: inv.scheduleArn, scheduledAt: inv.scheduledAt, executionId: newExecutionId(), attempt: row.attempts + 1 });
    const outcome = await this.attempt(inv, body, signal);
    if (outcome.ok) return outcome;
    const retries = inv.target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (inv.target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    const exhausted = row.attempts >= retries ? 'MaximumRetryAttempts' : this.deps.now() - inv.firedAt >= maxAgeMs ? 'MaximumEventAgeInSeconds' : undefined;
    if (!outcome.permanent && exhausted === undefined) return outcome;
    this.deps.log.warn({ schedule: inv.scheduleArn, target: inv.target.Arn, attempts: row.attempts + 1, error: outcome.error }, 'scheduler: target invocation failed for good');
    const dlq = inv.target.DeadLetterConfig?.Arn;
    if (dlq === undefined) return { ok: true };
    const sent = await this.toDeadLetter(inv, dlq, body, outcome, exhausted ?? 'NotRetryable', row.attempts, signal);
    if (!sent.ok) return { ok: false, permanent: false, error: `dead-letter queue ${dlq}: ${sent.error}` };
    return { ok: true };
  }

  private async attempt(inv: ScheduledInvocation, rendered: string, signal: AbortSignal): Promise<InvokeOutcome> {
    const ref = targetRef(inv.target.Arn!);
    if (!ref) return { ok: false, permanent: true, code: 'SDK_CLIENT_ERROR', error: `${inv.target.Arn} is not a target Osprey can invoke` };
    let body: string;
    try {
      body = bodyFor(ref, inv, rendered);
    } catch (e) {
      return { ok: false, permanent: true, code: 'SDK_CLIENT_ERROR', error: `the target input is not JSON: ${(e as Error).message}` };
    }
    await this.heldUntil(inv.firedAt, signal);
    return invokeTarget(this.deps.invoke, {
      arn: inv.target.Arn!, ref, body, service: SCHEDULER_PRINCIPAL, sourceArn: inv.scheduleArn, sourceAccount: inv.account, signal,
      time: inv.scheduledAt, streamName: inv.occurrenceId,
      // SqsParameters: a FIFO queue's message group; its deduplication is the queue's content-based one (API reference).
      ...(ref.kind === 'sqs' ? { queue: { messageGroupId: inv.target.SqsParameters?.MessageGroupId } } : {}),
    });
  }

  /**
   * Resolves at `at` (at once when it is past, or when the worker stops: the send then fails as
   * aborted). Sends held until the same time are let go RELEASE_CHUNK at a time, one event-loop turn
   * each, so that the first requests are on the wire before the thousands behind them are built
   * (released all at once, the first arrived ~90 ms late).
   */
  private heldUntil(at: number, signal: AbortSignal): Promise<void> {
    const wait = at - this.deps.now();
    if (wait <= 0 || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiting = this.holds.get(at);
      if (waiting !== undefined) {
        waiting.push(resolve);
        return;
      }
      const queue = [resolve];
      this.holds.set(at, queue);
      const release = () => {
        for (const go of queue.splice(0, RELEASE_CHUNK)) go();
        if (queue.length > 0) setImmediate(release);
      };
      const due = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', due);
        this.holds.delete(at);
        release();
      };
      const timer = setTimeout(due, wait);
      signal.addEventListener('abort', due, { once: true });
    });
  }

  /** Scheduler's dead-letter event: the body the target was sent, the failure in message attributes. */
  private async toDeadLetter(inv: ScheduledInvocation, arn: string, body: string, failure: Failure, condition: string, retries: number, signal: AbortSignal) {
    const attributes: Record<string, string> = {
      SCHEDULE_ARN: inv.scheduleArn, TARGET_ARN: inv.target.Arn!, ERROR_CODE: failure.code, ERROR_MESSAGE: failure.error.slice(0, 1000),
      EXHAUSTED_RETRY_CONDITION: condition, RETRY_ATTEMPTS: String(retries),
    };
    const ref = targetRef(arn);
    if (!ref || (ref.kind !== 'sqs' && ref.kind !== 'sns' && ref.kind !== 'logs')) {
      this.deps.log.warn({ deadLetterQueue: arn, body, attributes }, 'scheduler: dead-letter event for a resource Osprey cannot write to; logged instead');
      return { ok: true as const };
    }
    const payload = ref.kind === 'logs' ? JSON.stringify({ body, attributes }) : body;
    return invokeTarget(this.deps.invoke, {
      arn, ref, body: payload, service: SCHEDULER_PRINCIPAL, sourceArn: inv.scheduleArn, sourceAccount: inv.account, signal, messageAttributes: attributes,
    });
  }
}
