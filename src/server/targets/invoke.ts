/**
 * Invoking a target on behalf of a service (EventBridge rules, EventBridge Scheduler): one body to
 * one ARN, classified the way delivery retries need (ok / retryable / permanent) with the error
 * code a dead-letter message carries. Osprey's own SNS topics, SQS queues, log groups and event buses are
 * reached through internal calls (validated like a client's request, with the calling service's
 * principal so resource policies apply); Lambda functions through their mapped URL; Kinesis and
 * Firehose streams through stream-records.ts (an external sink when mapped in `streams`).
 */
import { randomUUID } from 'node:crypto';
import { postForDelivery, type PostOutcome } from '../../jobs/http-post.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { Env } from '../module.ts';
import { lambdaUrl } from './lambda-url.ts';
import { parseStreamSink, type SinkOutcome } from './firehose-sink.ts';
import { deliverStreamRecords } from './stream-records.ts';
import type { TargetRef } from './target-ref.ts';

/** AWS's dead-letter ERROR_CODE values for the failures Osprey can tell apart. */
export type InvokeErrorCode = 'RESOURCE_NOT_FOUND' | 'NO_PERMISSIONS' | 'THROTTLING' | 'SDK_CLIENT_ERROR' | 'INTERNAL_ERROR';

export type InvokeOutcome = { ok: true } | { ok: false; permanent: boolean; error: string; code: InvokeErrorCode; retryAfterMs?: number };

export interface InvokeDeps {
  call: Env['call'];
  serviceCtx: Env['serviceCtx'];
  lambdaFunctions: Readonly<Record<string, string>>;
  /** Kinesis / Firehose ARNs mapped to external sinks (config `streams`); others go to Osprey's own streams. */
  streams: Readonly<Record<string, string>>;
  timeoutMs: number;
  now: () => number;
  fetch?: typeof fetch;
}

export interface Invocation {
  arn: string;
  ref: TargetRef;
  body: string;
  /** The invoking service principal, e.g. `events.amazonaws.com`, and the resource it acts for. */
  service: string;
  sourceArn: string;
  sourceAccount: string;
  /** Log group targets: the log event's time and stream (EventBridge writes one stream per event id). */
  time?: number;
  streamName?: string;
  /** Kinesis targets: the record's partition key (EventBridge: KinesisParameters.PartitionKeyPath, else the event id). */
  partitionKey?: string;
  /** SNS and SQS targets: message attributes (a dead-letter message's failure details). */
  messageAttributes?: Record<string, string>;
  /** SQS FIFO queues: the message group (SqsParameters.MessageGroupId) and deduplication id. */
  queue?: { messageGroupId?: string; messageDeduplicationId?: string };
  signal: AbortSignal;
}

const origin = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the configured URL';
  }
};

function fromPost(o: PostOutcome): InvokeOutcome {
  if (o.ok) return o;
  const code: InvokeErrorCode = /HTTP 429/.test(o.error) ? 'THROTTLING' : o.permanent ? 'SDK_CLIENT_ERROR' : 'INTERNAL_ERROR';
  return { ...o, code };
}

function fromError(e: unknown): InvokeOutcome {
  if (!(e instanceof ServiceError)) return { ok: false, permanent: false, error: (e as Error).message, code: 'INTERNAL_ERROR' };
  const notFound = /NotFound|DoesNotExist/.test(e.code);
  const denied = /AccessDenied|AuthorizationError|NotAuthorized/.test(e.code);
  const throttled = /Throttl|LimitExceeded/.test(e.code);
  const code: InvokeErrorCode = notFound ? 'RESOURCE_NOT_FOUND' : denied ? 'NO_PERMISSIONS' : throttled ? 'THROTTLING' : e.status >= 500 ? 'INTERNAL_ERROR' : 'SDK_CLIENT_ERROR';
  return { ok: false, permanent: !throttled && e.status < 500, error: `${e.code}: ${e.message}`, code };
}

const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

export async function invokeTarget(deps: InvokeDeps, inv: Invocation): Promise<InvokeOutcome> {
  const { ref } = inv;
  // The hot path (one POST per event): no internal-call context to build.
  if (ref.kind === 'lambda') return invokeLambda(deps, inv);
  const ctx: Ctx = {
    ...deps.serviceCtx({ account: ref.account, region: ref.region, principalArn: inv.service }),
    invokedBy: { service: inv.service, sourceArn: inv.sourceArn, sourceAccount: inv.sourceAccount },
  };
  try {
    switch (ref.kind) {
      case 'sns':
        await deps.call('sns', 'Publish', ctx, {
          TopicArn: inv.arn, Message: inv.body,
          ...(inv.messageAttributes ? {
            MessageAttributes: Object.fromEntries(Object.entries(inv.messageAttributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
          } : {}),
        });
        return { ok: true };
      case 'sqs':
        await deps.call('sqs', 'SendMessage', ctx, {
          // AWS's queue URL form: SQS reads the owner and name from its path, the region from ctx.
          QueueUrl: `https://sqs.${ref.region}.amazonaws.com/${ref.account}/${ref.name}`,
          MessageBody: inv.body,
          ...(inv.queue?.messageGroupId !== undefined ? { MessageGroupId: inv.queue.messageGroupId } : {}),
          ...(inv.queue?.messageDeduplicationId !== undefined ? { MessageDeduplicationId: inv.queue.messageDeduplicationId } : {}),
          ...stringAttributes(inv.messageAttributes),
        });
        return { ok: true };
      case 'logs':
        return await writeLogEvent(deps, ctx, ref.name, inv);
      case 'event-bus':
        return await putOnBus(deps, ctx, inv);
      case 'kinesis':
      case 'firehose':
        return await putOnStream(deps, inv);
      default:
        return { ok: false, permanent: true, code: 'SDK_CLIENT_ERROR', error: `${ref.kind} targets are not delivered by this invoker` };
    }
  } catch (e) {
    return fromError(e);
  }
}

/** One record to a Kinesis stream or Firehose delivery stream: an external sink when mapped, else Osprey's own. */
async function putOnStream(deps: InvokeDeps, inv: Invocation): Promise<InvokeOutcome> {
  const mapped = deps.streams[inv.arn];
  const sink = mapped === undefined ? undefined : parseStreamSink(mapped);
  let outcome: SinkOutcome = { ok: false, permanent: true, error: 'not delivered' };
  await deliverStreamRecords({
    call: deps.call, serviceCtx: deps.serviceCtx, now: deps.now,
    post: (url, body, headers) => postForDelivery(url, body, { headers, signal: inv.signal, timeoutMs: deps.timeoutMs, now: deps.now, describe: origin, fetch: deps.fetch }),
  }, sink, inv.arn, [{ key: 0, data: Buffer.from(inv.body), partitionKey: inv.partitionKey ?? randomUUID() }],
  { service: inv.service, sourceArn: inv.sourceArn, sourceAccount: inv.sourceAccount }, (_, o) => {
    outcome = o;
  });
  if (outcome.ok) return outcome;
  const notFound = /NotFound/.test(outcome.error);
  const code: InvokeErrorCode = notFound ? 'RESOURCE_NOT_FOUND' : /AccessDenied/.test(outcome.error) ? 'NO_PERMISSIONS' : outcome.permanent ? 'SDK_CLIENT_ERROR' : 'INTERNAL_ERROR';
  return { ...outcome, code };
}

/** Failure details as String message attributes (the SNS case above builds the same shape inline). */
function stringAttributes(attrs: Record<string, string> | undefined) {
  if (!attrs) return {};
  return { MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])) };
}

async function invokeLambda(deps: InvokeDeps, inv: Invocation): Promise<InvokeOutcome> {
  const url = lambdaUrl(deps.lambdaFunctions, inv.arn);
  if (!url) return { ok: false, permanent: true, code: 'RESOURCE_NOT_FOUND', error: `no URL is mapped to ${inv.arn} (config lambda.functions / OSPREY_LAMBDA_URLS)` };
  return fromPost(await postForDelivery(url, inv.body, {
    headers: JSON_HEADERS, signal: inv.signal, timeoutMs: deps.timeoutMs, now: deps.now, describe: origin, fetch: deps.fetch,
  }));
}

async function writeLogEvent(deps: InvokeDeps, ctx: Ctx, logGroupName: string, inv: Invocation): Promise<InvokeOutcome> {
  const logStreamName = inv.streamName ?? randomUUID();
  try {
    await deps.call('logs', 'CreateLogStream', ctx, { logGroupName, logStreamName });
  } catch (e) {
    // A retry of the same event finds its stream already there.
    if (!(e instanceof ServiceError && e.code === 'ResourceAlreadyExistsException')) throw e;
  }
  await deps.call('logs', 'PutLogEvents', ctx, { logGroupName, logStreamName, logEvents: [logEventOf(inv.body, inv.time ?? deps.now())] });
  return { ok: true };
}

/**
 * The log event a log group target writes: the body, stamped with the event's time — unless an input
 * transformer produced EventBridge's documented log form `{"timestamp": <ms>, "message": <text>}`.
 */
function logEventOf(body: string, time: number): { timestamp: number; message: string } {
  try {
    const v = JSON.parse(body) as { timestamp?: unknown; message?: unknown };
    if (v && typeof v === 'object' && Object.keys(v).length === 2 && v.message !== undefined && v.timestamp !== undefined) {
      const ts = typeof v.timestamp === 'number' ? v.timestamp : Date.parse(String(v.timestamp));
      if (Number.isFinite(ts)) return { timestamp: ts, message: typeof v.message === 'string' ? v.message : JSON.stringify(v.message) };
    }
  } catch {
    // not JSON: the body is the message
  }
  return { timestamp: time, message: body };
}

/** Another bus (this account's or, when its policy allows, another's): the event is put again, as PutEvents would. */
async function putOnBus(deps: InvokeDeps, ctx: Ctx, inv: Invocation): Promise<InvokeOutcome> {
  const event = JSON.parse(inv.body) as Record<string, unknown>;
  const sender = deps.serviceCtx({ account: inv.sourceAccount, region: ctx.region, principalArn: inv.service });
  const out = await deps.call('events', 'PutEvents', { ...sender, invokedBy: ctx.invokedBy }, {
    Entries: [{
      EventBusName: inv.arn,
      Source: String(event.source ?? ''),
      DetailType: String(event['detail-type'] ?? ''),
      Detail: JSON.stringify(event.detail ?? {}),
      Resources: Array.isArray(event.resources) ? (event.resources as string[]) : [],
      ...(typeof event.time === 'string' ? { Time: new Date(event.time) } : {}),
    }],
  });
  const failed = out.Entries?.find((e) => e.ErrorCode !== undefined);
  if (failed) return { ok: false, permanent: true, code: 'SDK_CLIENT_ERROR', error: `${failed.ErrorCode}: ${failed.ErrorMessage}` };
  return { ok: true };
}
