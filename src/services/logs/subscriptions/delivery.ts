import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { postForDelivery } from '../../../jobs/http-post.ts';
export { retryAfterMs } from '../../../jobs/http-post.ts';
import { dirname } from 'node:path';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { DeliveryHandler, DeliveryResult } from '../../../jobs/delivery-worker.ts';
import type { OutboxRow } from '../../../store/meta/outbox.ts';
import { gzipMessage, lambdaEvent, parseRowPayload, planMessages, SUBSCRIPTION_TOPIC, type SubscriptionRowPayload } from './payload.ts';
import { parseTargetArn, type DeliveryTargets, type StreamSink } from './targets.ts';

/** Firehose's HTTP endpoint requests carry at most 500 records / 4 MiB, like PutRecordBatch. */
const MAX_RECORDS_PER_REQUEST = 500;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** How much of an error response body makes it into the stored error. */

type Failure = Extract<DeliveryResult, { ok: false }>;
type Outcome = { ok: true } | Omit<Failure, 'id'>;

export interface SubscriptionDeliveryOptions {
  targets: DeliveryTargets;
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
      const sink = this.opts.targets.streamSink(target);
      if (!sink) {
        set(ids, { ok: false, permanent: true, error: `no sink is configured for ${target} (config streams / OSPREY_STREAM_SINKS)` });
        return;
      }
      const records = plans.map((p) => ({ rowIds: p.rowIds, data: gzipMessage(p.message).toString('base64') }));
      await this.deliverRecords(target, sink, records, signal, set);
      return;
    }

    set(ids, { ok: false, permanent: true, error: `${target} is not a Lambda function, Kinesis stream or Firehose delivery stream ARN` });
  }

  private async deliverRecords(
    target: string,
    sink: StreamSink,
    records: { rowIds: number[]; data: string }[],
    signal: AbortSignal,
    set: (ids: number[], o: Outcome) => void,
  ): Promise<void> {
    if (sink.kind === 'file') {
      const o = await appendLines(sink.path, records.map((r) => r.data));
      set(records.flatMap((r) => r.rowIds), o);
      return;
    }
    for (let start = 0; start < records.length; ) {
      let end = start;
      let bytes = 0;
      while (end < records.length && end - start < MAX_RECORDS_PER_REQUEST && (end === start || bytes + records[end].data.length <= MAX_REQUEST_BYTES)) {
        bytes += records[end].data.length;
        end++;
      }
      const chunk = records.slice(start, end);
      const rowIds = chunk.flatMap((r) => r.rowIds);
      const requestId = stableUuid(`${target}|${rowIds.join(',')}`);
      const body = JSON.stringify({ requestId, timestamp: this.opts.clock.now(), records: chunk.map((r) => ({ data: r.data })) });
      const o = await this.post(sink.url, body, {
        'content-type': 'application/json',
        'x-amz-firehose-protocol-version': '1.0',
        'x-amz-firehose-request-id': requestId,
        'x-amz-firehose-source-arn': target,
      }, signal);
      set(rowIds, o);
      if (!o.ok && !o.permanent) {
        set(records.slice(end).flatMap((r) => r.rowIds), o);
        return;
      }
      start = end;
    }
  }

  private post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<Outcome> {
    return postForDelivery(url, body, {
      headers, signal, timeoutMs: this.opts.timeoutMs, now: () => this.opts.clock.now(), describe: redact, fetch: this.opts.fetch,
    });
  }
}

/** Appends one line per record and fsyncs before reporting success. */
async function appendLines(path: string, lines: string[]): Promise<Outcome> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(path, 'a');
    try {
      await fh.write(lines.map((l) => `${l}\n`).join(''));
      await fh.datasync();
    } finally {
      await fh.close();
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, permanent: false, error: `cannot append to ${path}: ${(e as Error).message}` };
  }
}

/** A UUID-shaped id derived from `key`: the same rows get the same request id on every retry. */
function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
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
