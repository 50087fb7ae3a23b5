/** CreateQueue, DeleteQueue, ListQueues, GetQueueUrl, Get/SetQueueAttributes, PurgeQueue, ListDeadLetterSourceQueues. */
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { ALL_NAMES, COMPUTED, DEFAULTS, checkAttributes, invalidAttributeName, parseRedrivePolicy, redriveAllowed } from './attributes.ts';
import { arnOf, attr, keyOf, numAttr, resolveArn, resolveQueue, urlOf, type SqsDeps } from './deps.ts';
import { checkQueueName, decodeToken, encodeToken, invalidParameterValue, parseQueueArn, queueArn, queueDoesNotExist, type QueueKey } from './names.ts';
import type { QueueRow } from './repo.ts';
import { checkTags } from './tags.ts';

type Op = 'CreateQueue' | 'GetQueueUrl' | 'ListQueues' | 'GetQueueAttributes' | 'SetQueueAttributes' | 'DeleteQueue' | 'PurgeQueue' | 'ListDeadLetterSourceQueues';
type In<K extends Op> = CallInput<'sqs', K>;
type Out<K extends Op> = CallOutput<'sqs', K>;

const DELETE_QUIET_MS = 60_000;
const PURGE_QUIET_MS = 60_000;

function deadLetterLookup(deps: SqsDeps, sourceArn: string) {
  return (arn: string) => {
    const key = parseQueueArn(arn, 'RedrivePolicy');
    const dlq = deps.repo.queue(key);
    if (!dlq) return undefined;
    if (!redriveAllowed(dlq.attributes.RedriveAllowPolicy, sourceArn)) {
      throw invalidParameterValue(`Value for parameter RedrivePolicy is invalid. Reason: Queue ${arn} does not allow ${sourceArn} as a source queue.`);
    }
    return { fifo: dlq.fifo };
  };
}

export function createQueue(deps: SqsDeps, ctx: Ctx, input: In<'CreateQueue'>): Out<'CreateQueue'> {
  const name = input.QueueName!;
  const given = { ...(input.Attributes ?? {}) } as Record<string, string>;
  const fifo = given.FifoQueue === 'true';
  if (name.endsWith('.fifo') && !fifo) throw invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  checkQueueName(name, fifo);
  const key: QueueKey = { account: ctx.account, region: ctx.region, name };
  const arn = queueArn(key);
  const attributes = checkAttributes(given, { fifo, creating: true, arn, deadLetterTarget: deadLetterLookup(deps, arn) });
  delete attributes.FifoQueue;
  const tags = { ...(input.tags ?? {}) };
  checkTags(tags);
  const now = deps.clock.now();
  const existing = deps.repo.queue(key);
  if (existing) {
    // Idempotent: the same name with no contradicting attribute returns the existing queue.
    for (const [k, v] of Object.entries(attributes)) {
      if (attr(existing, k) !== v) {
        throw new ServiceError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${k}`);
      }
    }
    if (fifo !== existing.fifo) throw new ServiceError('QueueNameExists', 'A queue already exists with the same name and a different value for attribute FifoQueue');
    return { QueueUrl: urlOf(deps, existing) };
  }
  if (deps.repo.deletedSince(key, now - DELETE_QUIET_MS)) {
    throw new ServiceError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
  }
  const q = deps.repo.insertQueue(key, fifo, attributes, tags, now) ?? deps.repo.queue(key)!;
  return { QueueUrl: urlOf(deps, q) };
}

export function getQueueUrl(deps: SqsDeps, ctx: Ctx, input: In<'GetQueueUrl'>): Out<'GetQueueUrl'> {
  const account = input.QueueOwnerAWSAccountId ?? ctx.account;
  const q = resolveArn(deps, ctx, queueArn({ account, region: ctx.region, name: input.QueueName! }), 'QueueName', 'GetQueueUrl');
  return { QueueUrl: urlOf(deps, q) };
}

export function listQueues(deps: SqsDeps, ctx: Ctx, input: In<'ListQueues'>): Out<'ListQueues'> {
  const paged = input.MaxResults !== undefined;
  if (paged && (input.MaxResults! < 1 || input.MaxResults! > 1000)) {
    throw invalidParameterValue(`Value ${input.MaxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`);
  }
  const limit = input.MaxResults ?? 1000;
  const after = input.NextToken ? decodeToken(input.NextToken) : '';
  const rows = deps.repo.listQueues(ctx.account, ctx.region, input.QueueNamePrefix ?? '', after, limit + 1);
  const page = rows.slice(0, limit);
  const out: Out<'ListQueues'> = {};
  if (page.length > 0) out.QueueUrls = page.map((q) => urlOf(deps, q));
  if (paged && rows.length > limit) out.NextToken = encodeToken(page[page.length - 1]!.name);
  return out;
}

export function deleteQueue(deps: SqsDeps, ctx: Ctx, input: In<'DeleteQueue'>): Out<'DeleteQueue'> {
  const q = resolveQueue(deps, ctx, input.QueueUrl, 'DeleteQueue');
  deps.repo.deleteQueue(q, deps.clock.now());
  deps.waiters.wake(q.id);
  return {};
}

export function purgeQueue(deps: SqsDeps, ctx: Ctx, input: In<'PurgeQueue'>): Out<'PurgeQueue'> {
  const q = resolveQueue(deps, ctx, input.QueueUrl, 'PurgeQueue');
  const now = deps.clock.now();
  if (q.purgedAt !== undefined && now - q.purgedAt < PURGE_QUIET_MS) {
    throw new ServiceError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`);
  }
  deps.repo.purge(q.id, now);
  return {};
}

/** Every attribute of a queue, computed ones included, as GetQueueAttributes reports them. */
export function queueAttributes(deps: SqsDeps, q: QueueRow): Record<string, string> {
  const now = deps.clock.now();
  const counts = deps.repo.counts(q.id, now, now - numAttr(q, 'MessageRetentionPeriod') * 1000);
  const out: Record<string, string> = {
    QueueArn: arnOf(q),
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.modifiedAt / 1000)),
    ...DEFAULTS,
    ...q.attributes,
  };
  if (q.fifo) {
    out.FifoQueue = 'true';
    out.ContentBasedDeduplication = q.attributes.ContentBasedDeduplication ?? 'false';
    out.DeduplicationScope = q.attributes.DeduplicationScope ?? 'queue';
    out.FifoThroughputLimit = q.attributes.FifoThroughputLimit ?? 'perQueue';
  }
  if (out.KmsMasterKeyId) {
    out.KmsDataKeyReusePeriodSeconds = q.attributes.KmsDataKeyReusePeriodSeconds ?? '300';
    delete out.SqsManagedSseEnabled;
  }
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return out;
}

export function getQueueAttributes(deps: SqsDeps, ctx: Ctx, input: In<'GetQueueAttributes'>): Out<'GetQueueAttributes'> {
  const q = resolveQueue(deps, ctx, input.QueueUrl, 'GetQueueAttributes');
  const names = (input.AttributeNames ?? []) as string[];
  for (const n of names) if (n !== 'All' && !ALL_NAMES.has(n)) throw invalidAttributeName(n);
  if (names.length === 0) return {};
  const all = queueAttributes(deps, q);
  if (names.includes('All')) return { Attributes: all };
  const picked: Record<string, string> = {};
  for (const n of names) if (all[n] !== undefined) picked[n] = all[n];
  return Object.keys(picked).length > 0 ? { Attributes: picked } : {};
}

export function setQueueAttributes(deps: SqsDeps, ctx: Ctx, input: In<'SetQueueAttributes'>): Out<'SetQueueAttributes'> {
  const q = resolveQueue(deps, ctx, input.QueueUrl, 'SetQueueAttributes');
  const given = { ...(input.Attributes ?? {}) } as Record<string, string>;
  for (const n of Object.keys(given)) if (COMPUTED.includes(n)) throw invalidAttributeName(n);
  const arn = arnOf(q);
  const checked = checkAttributes(given, { fifo: q.fifo, creating: false, arn, deadLetterTarget: deadLetterLookup(deps, arn) });
  const attributes = { ...q.attributes, ...checked };
  for (const [k, v] of Object.entries(checked)) if (v === '' && !(k in DEFAULTS)) delete attributes[k];
  deps.repo.setAttributes(q.id, attributes, deps.clock.now());
  // A shorter delay or visibility may make messages receivable sooner.
  deps.waiters.wake(q.id);
  return {};
}

export function listDeadLetterSourceQueues(deps: SqsDeps, ctx: Ctx, input: In<'ListDeadLetterSourceQueues'>): Out<'ListDeadLetterSourceQueues'> {
  const dlq = resolveQueue(deps, ctx, input.QueueUrl, 'ListDeadLetterSourceQueues');
  const dlqArn = arnOf(dlq);
  const limit = input.MaxResults ?? 1000;
  const after = input.NextToken ? decodeToken(input.NextToken) : '';
  const sources = deps.repo
    .listQueues(dlq.account, dlq.region, '', after, 1_000_000)
    .filter((q) => parseRedrivePolicy(q.attributes.RedrivePolicy)?.deadLetterTargetArn === dlqArn);
  const page = sources.slice(0, limit);
  const out: Out<'ListDeadLetterSourceQueues'> = { queueUrls: page.map((q) => urlOf(deps, q)) };
  if (input.MaxResults !== undefined && sources.length > limit) out.NextToken = encodeToken(page[page.length - 1]!.name);
  return out;
}

export { keyOf, queueDoesNotExist };
