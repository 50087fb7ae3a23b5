import { postForDelivery } from '../../../jobs/http-post.ts';
export { retryAfterMs } from '../../../jobs/http-post.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { DeliveryHandler, DeliveryResult } from '../../../jobs/delivery-worker.ts';
import type { OutboxRow } from '../../../store/meta/outbox.ts';
import { gzipMessage, lambdaEvent, parseRowPayload, planMessages, SUBSCRIPTION_TOPIC, type SubscriptionRowPayload } from './payload.ts';
import { parseTargetArn, type DeliveryTargets } from './targets.ts';
import { deliverStreamRecords, type StreamCalls } from '../../../server/targets/stream-records.ts';

const LOGS_PRINCIPAL = 'logs.amazonaws.com';

/** How much of an error response body makes it into the stored error. */

type Failure = Extract<DeliveryResult, { ok: false }>;
type Outcome = { ok: true } | Omit<Failure, 'id'>;

export interface SubscriptionDeliveryOptions {
  targets: DeliveryTargets;
  streams: StreamCalls;
  clock: Clock;
  log: Logger;
  /** Per-request timeout. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Sends `logs.subscription` outbox rows. Rows are grouped by target ARN; each group becomes
 * CloudWatch-shaped messages (planMessages) that go to:
 * - Lambda: one POST per message to the mapped URL, body `{"awslogs":{"data":…}}`;
 * - a stream with an http(s) sink: Firehose HTTP endpoint requests (`{"requestId","timestamp",
 *   "records":[{"data":"<base64 gzip message>"}]}`, headers X-Amz-Firehose-Request-Id — stable
 *   across retries of the same rows — X-Amz-Firehose-Source-Arn, X-Amz-Firehose-Protocol-Version);
 * - a stream with a file sink: one line per message (base64 of the gzip bytes), fsynced.
 * 2xx is success; network errors, timeouts, 408, 429 and 5xx are retried with backoff; other
 * 4xx are permanent (retried a few times, then dead-lettered by the worker).
 */
export class SubscriptionDelivery implements DeliveryHandler {
  readonly topic = SUBSCRIPTION_TOPIC;
  constructor(private readonly opts: SubscriptionDeliveryOptions) {}

  async deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]> {
    const results = new Map<number, DeliveryResult>();
    const byTarget = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const list = byTarget.get(r.target);
      if (list) list.push(r);
      else byTarget.set(r.target, [r]);
    }
    await Promise.all([...byTarget].map(([target, list]) => this.deliverTarget(target, list, signal, results)));
    return rows.map((r) => results.get(r.id) ?? { id: r.id, ok: false, permanent: false, error: 'not attempted' });
  }

  private async deliverTarget(target: string, rows: OutboxRow[], signal: AbortSignal, results: Map<number, DeliveryResult>): Promise<void> {
    const set = (ids: number[], o: Outcome) => {
      for (const id of ids) results.set(id, { id, ...o } as DeliveryResult);
    };
    const parsed: { id: number; payload: SubscriptionRowPayload }[] = [];
    for (const r of rows) {
      try {
        parsed.push({ id: r.id, payload: parseRowPayload(r.payload) });
      } catch (e) {
        set([r.id], { ok: false, permanent: true, error: `unreadable outbox payload: ${(e as Error).message}` });
      }
    }
    if (parsed.length === 0) return;
    const ids = parsed.map((p) => p.id);
    const plans = planMessages(parsed);
    const arn = parseTargetArn(target);

    if (arn?.kind === 'lambda') {
      const url = this.opts.targets.lambdaUrl(target);
      if (!url) {
        set(ids, { ok: false, permanent: true, error: `no URL is mapped to ${target} (config lambda.functions / OSPREY_LAMBDA_URLS)` });
        return;
      }
      for (let i = 0; i < plans.length; i++) {
        const o = await this.post(url, lambdaEvent(gzipMessage(plans[i].message)), { 'content-type': 'application/json' }, signal);
        set(plans[i].rowIds, o);
        // An unreachable or failing endpoint: don't hammer it with the rest of the batch.
        if (!o.ok && !o.permanent) {
          for (const rest of plans.slice(i + 1)) set(rest.rowIds, o);
          return;
        }
      }
      return;
    }

    if (arn?.kind === 'kinesis' || arn?.kind === 'firehose') {
      // Kinesis partition keys: one per log stream (AWS's default ByLogStream distribution).
      const records = plans.map((p) => ({ key: p.rowIds, data: gzipMessage(p.message), partitionKey: p.message.logStream || p.message.logGroup || 'control' }));
      const by = { service: LOGS_PRINCIPAL, sourceArn: `arn:aws:logs:${arn.region}:${arn.account}:*`, sourceAccount: arn.account };
      await deliverStreamRecords({
        ...this.opts.streams, post: (url, body, headers) => this.post(url, body, headers, signal), now: () => this.opts.clock.now(),
      }, this.opts.targets.streamSink(target), target, records, by, (keys, o) => set(keys.flat(), o));
      return;
    }

    set(ids, { ok: false, permanent: true, error: `${target} is not a Lambda function, Kinesis stream or Firehose delivery stream ARN` });
  }

  private post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<Outcome> {
    return postForDelivery(url, body, {
      headers, signal, timeoutMs: this.opts.timeoutMs, now: () => this.opts.clock.now(), describe: redact, fetch: this.opts.fetch,
    });
  }
}

/** URLs may carry credentials or tokens in their query; logs and stored errors get origin + path. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}
