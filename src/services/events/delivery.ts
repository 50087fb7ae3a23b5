/**
 * Sends `events.target` outbox rows: renders the target's input (Input, InputPath, InputTransformer
 * or the whole event), invokes the target, and applies the target's RetryPolicy — retryable failures
 * go back to the worker with backoff until MaximumRetryAttempts or MaximumEventAgeInSeconds is
 * exhausted; then (or at once for failures no retry can fix) the event goes to the target's
 * dead-letter queue with AWS's attributes, and FailedInvocations counts it.
 */
import type { DeliveryHandler, DeliveryResult } from '../../jobs/delivery-worker.ts';
import type { OutboxRow } from '../../store/meta/outbox.ts';
import { invokeTarget, type InvokeDeps, type InvokeOutcome } from '../../server/targets/invoke.ts';
import { targetRef } from '../../server/targets/target-ref.ts';
import { TARGET_TOPIC, type TargetDelivery } from './dispatch.ts';
import type { EventsMetrics } from './metrics.ts';
import { renderTargetInput } from './transform/render-target.ts';
import { selectInputPath } from './transform/input-path.ts';

/** RetryPolicy defaults (PutTargets API reference): 185 retries over 24 hours. */
const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;
export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

/** API destinations are EventBridge's own kind of target: invoked by the connections feature. */
export type ApiDestinationInvoker = (d: TargetDelivery, body: string, signal: AbortSignal) => Promise<InvokeOutcome>;

export interface EventsDeliveryDeps {
  invoke: InvokeDeps;
  metrics: EventsMetrics;
  apiDestinations: ApiDestinationInvoker;
  now: () => number;
}

export class EventsDelivery implements DeliveryHandler {
  readonly topic = TARGET_TOPIC;
  /** Each row is its own invocation, sent concurrently and in no order: claim ahead of slow answers. */
  readonly concurrentBatches = 4;

  constructor(private readonly deps: EventsDeliveryDeps) {}

  deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]> {
    return Promise.all(rows.map(async (row) => ({ id: row.id, ...(await this.one(row, signal)) }) as DeliveryResult));
  }

  private async one(row: OutboxRow, signal: AbortSignal): Promise<{ ok: true } | Omit<Extract<DeliveryResult, { ok: false }>, 'id'>> {
    let d: TargetDelivery;
    try {
      d = JSON.parse(row.payload) as TargetDelivery;
    } catch (e) {
      return { ok: false, permanent: true, error: `unreadable outbox payload: ${(e as Error).message}` };
    }
    const outcome = await this.attempt(d, signal);
    const scope = { account: d.account, region: d.region };
    this.deps.metrics.count(scope, 'Invocations', { RuleName: d.rule });
    if (outcome.ok) return outcome;
    const retries = d.target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (d.target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    const exhausted = row.attempts >= retries ? 'MaximumRetryAttempts' : this.deps.now() - d.ingestedAt >= maxAgeMs ? 'MaximumEventAgeInSeconds' : undefined;
    if (!outcome.permanent && exhausted === undefined) return outcome;
    this.deps.metrics.count(scope, 'FailedInvocations', { RuleName: d.rule });
    const dlq = d.target.DeadLetterConfig?.Arn;
    if (dlq === undefined) return { ok: true };
    const sent = await this.toDeadLetter(d, dlq, outcome, exhausted ?? 'NotRetryable', row.attempts, signal);
    if (!sent.ok) return { ok: false, permanent: false, error: `dead-letter queue ${dlq}: ${sent.error}` };
    this.deps.metrics.count(scope, 'DeadLetterInvocations', { RuleName: d.rule });
    return { ok: true };
  }

  private async attempt(d: TargetDelivery, signal: AbortSignal): Promise<InvokeOutcome> {
    const ref = targetRef(d.target.Arn!);
    if (!ref) return { ok: false, permanent: true, code: 'SDK_CLIENT_ERROR', error: `${d.target.Arn} is not a target Osprey can deliver to` };
    let body: string;
    try {
      body = renderTargetInput(d.target, d.event, { ruleArn: d.ruleArn, ruleName: d.rule, ingestedAt: d.ingestedAt });
    } catch (e) {
      return { ok: false, permanent: true, code: 'SDK_CLIENT_ERROR', error: `the target input could not be rendered: ${(e as Error).message}` };
    }
    if (ref.kind === 'api-destination') return this.deps.apiDestinations(d, body, signal);
    // Only log group, Kinesis and FIFO queue targets need the event's time and id (a log event and
    // stream; a partition key; a deduplication id); parsing every event for them cost as much as rendering it.
    const fifo = ref.kind === 'sqs' && ref.name.endsWith('.fifo');
    const event = ref.kind === 'logs' || ref.kind === 'kinesis' || fifo ? JSON.parse(d.event) as { id?: string; time?: string } : undefined;
    return invokeTarget(this.deps.invoke, {
      arn: d.target.Arn!, ref, body, service: EVENTS_PRINCIPAL, sourceArn: d.ruleArn, sourceAccount: d.account, signal,
      time: event?.time ? Date.parse(event.time) : d.ingestedAt, streamName: event?.id,
      partitionKey: ref.kind === 'kinesis' ? partitionKeyOf(d.target.KinesisParameters?.PartitionKeyPath, event) : undefined,
      // A FIFO queue's messages: the target's group, and the event id as deduplication id (a retry of
      // the same event is then not stored twice).
      ...(ref.kind === 'sqs' ? { queue: { messageGroupId: d.target.SqsParameters?.MessageGroupId, ...(fifo ? { messageDeduplicationId: event?.id } : {}) } } : {}),
    });
  }

  /** AWS's DLQ message: the event itself, with the failure in message attributes (rule-dlq.html). */
  private async toDeadLetter(d: TargetDelivery, arn: string, failure: Extract<InvokeOutcome, { ok: false }>, condition: string, retries: number, signal: AbortSignal) {
    const attributes: Record<string, string> = {
      RULE_ARN: d.ruleArn, TARGET_ARN: d.target.Arn!, ERROR_CODE: failure.code, ERROR_MESSAGE: failure.error.slice(0, 1000),
      EXHAUSTED_RETRY_CONDITION: condition, RETRY_ATTEMPTS: String(retries),
    };
    const ref = targetRef(arn);
    if (!ref || (ref.kind !== 'sqs' && ref.kind !== 'sns' && ref.kind !== 'logs')) return { ok: false as const, error: `${arn} is not an SQS queue, SNS topic or log group` };
    const body = ref.kind === 'logs' ? JSON.stringify({ event: JSON.parse(d.event) as unknown, attributes }) : d.event;
    return invokeTarget(this.deps.invoke, {
      arn, ref, body, service: EVENTS_PRINCIPAL, sourceArn: d.ruleArn, sourceAccount: d.account, signal, messageAttributes: attributes,
    });
  }
}

/**
 * A Kinesis target's partition key: the value KinesisParameters.PartitionKeyPath selects from the
 * event, else the event id — AWS's documented default.
 */
function partitionKeyOf(path: string | undefined, event: { id?: string } | undefined): string | undefined {
  if (path !== undefined && event !== undefined) {
    let v: unknown;
    try {
      v = selectInputPath(event, path);
    } catch {
      v = undefined; // a path outside EventBridge's subset selects nothing
    }
    if (v !== undefined && v !== null) return (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 256) || event.id;
  }
  return event?.id;
}
