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

/** The RedrivePolicy's target queue, read before the (synchronous) attribute checks look it up. */
async function deadLetterLookup(deps: SqsDeps, sourceArn: string, given: Record<string, string>) {
  let known: QueueRow | undefined;
  try {
    const target = (JSON.parse(given.RedrivePolicy ?? 'null') as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
    if (typeof target === 'string') known = await deps.repo.queue(parseQueueArn(target, 'RedrivePolicy'));
  } catch {
    // Malformed: checkAttributes reports it.
  }
  return (arn: string) => {
    const key = parseQueueArn(arn, 'RedrivePolicy');
    const dlq = known && known.account === key.account && known.region === key.region && known.name === key.name ? known : undefined;
    if (!dlq) return undefined;
    if (!redriveAllowed(dlq.attributes.RedriveAllowPolicy, sourceArn)) {
      throw invalidParameterValue(`Value for parameter RedrivePolicy is invalid. Reason: Queue ${arn} does not allow ${sourceArn} as a source queue.`);
    }
    return { fifo: dlq.fifo };
  };
}

export async function createQueue(deps: SqsDeps, ctx: Ctx, input: In<'CreateQueue'>): Promise<Out<'CreateQueue'>> {
  const name = input.QueueName!;
  const given = { ...(input.Attributes ?? {}) } as Record<string, string>;
  const fifo = given.FifoQueue === 'true';
  if (name.endsWith('.fifo') && !fifo) throw invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  checkQueueName(name, fifo);
  const key: QueueKey = { account: ctx.account, region: ctx.region, name };
  const arn = queueArn(key);
  const attributes = checkAttributes(given, { fifo, creating: true, arn, deadLetterTarget: await deadLetterLookup(deps, arn, given) });
  delete attributes.FifoQueue;
  const tags = { ...(input.tags ?? {}) };
  checkTags(tags);
  const now = deps.clock.now();
  const existing = await deps.repo.queue(key);
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
  if (await deps.repo.deletedSince(key, now - DELETE_QUIET_MS)) {
    throw new ServiceError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
  }
  const q = (await deps.repo.insertQueue(key, fifo, attributes, tags, now)) ?? (await deps.repo.queue(key))!;
  return { QueueUrl: urlOf(deps, q) };
}

export async function getQueueUrl(deps: SqsDeps, ctx: Ctx, input: In<'GetQueueUrl'>): Promise<Out<'GetQueueUrl'>> {
  const account = input.QueueOwnerAWSAccountId ?? ctx.account;
  const q = await resolveArn(deps, ctx, queueArn({ account, region: ctx.region, name: input.QueueName! }), 'QueueName', 'GetQueueUrl');
  return { QueueUrl: urlOf(deps, q) };
}

export async function listQueues(deps: SqsDeps, ctx: Ctx, input: In<'ListQueues'>): Promise<Out<'ListQueues'>> {
  const paged = input.MaxResults !== undefined;
  if (paged && (input.MaxResults! < 1 || input.MaxResults! > 1000)) {
    throw invalidParameterValue(`Value ${input.MaxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`);
  }
  const limit = input.MaxResults ?? 1000;
  const after = input.NextToken ? decodeToken(input.NextToken) : '';
  const rows = await deps.repo.listQueues(ctx.account, ctx.region, input.QueueNamePrefix ?? '', after, limit + 1);
  const page = rows.slice(0, limit);
  const out: Out<'ListQueues'> = {};
  if (page.length > 0) out.QueueUrls = page.map((q) => urlOf(deps, q));
  if (paged && rows.length > limit) out.NextToken = encodeToken(page[page.length - 1]!.name);
  return out;
}

export async function deleteQueue(deps: SqsDeps, ctx: Ctx, input: In<'DeleteQueue'>): Promise<Out<'DeleteQueue'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'DeleteQueue');
  await deps.messages.deleteQueue(q, deps.clock.now());
  deps.waiters.wake(q.id);
  return {};
}

export async function purgeQueue(deps: SqsDeps, ctx: Ctx, input: In<'PurgeQueue'>): Promise<Out<'PurgeQueue'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'PurgeQueue');
  const now = deps.clock.now();
  if (q.purgedAt !== undefined && now - q.purgedAt < PURGE_QUIET_MS) {
    throw new ServiceError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`);
  }
  await deps.messages.purge(q.id, now);
  return {};
}

/** Every attribute of a queue, computed ones included, as GetQueueAttributes reports them. */
export async function queueAttributes(deps: SqsDeps, q: QueueRow): Promise<Record<string, string>> {
  const now = deps.clock.now();
  const counts = await deps.messages.counts(q.id, now, now - numAttr(q, 'MessageRetentionPeriod') * 1000);
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

export async function getQueueAttributes(deps: SqsDeps, ctx: Ctx, input: In<'GetQueueAttributes'>): Promise<Out<'GetQueueAttributes'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'GetQueueAttributes');
  const names = (input.AttributeNames ?? []) as string[];
  for (const n of names) if (n !== 'All' && !ALL_NAMES.has(n)) throw invalidAttributeName(n);
  if (names.length === 0) return {};
  const all = await queueAttributes(deps, q);
  if (names.includes('All')) return { Attributes: all };
  const picked: Record<string, string> = {};
  for (const n of names) if (all[n] !== undefined) picked[n] = all[n];
  return Object.keys(picked).length > 0 ? { Attributes: picked } : {};
}

export async function setQueueAttributes(deps: SqsDeps, ctx: Ctx, input: In<'SetQueueAttributes'>): Promise<Out<'SetQueueAttributes'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'SetQueueAttributes');
  const given = { ...(input.Attributes ?? {}) } as Record<string, string>;
  for (const n of Object.keys(given)) if (COMPUTED.includes(n)) throw invalidAttributeName(n);
  const arn = arnOf(q);
  const checked = checkAttributes(given, { fifo: q.fifo, creating: false, arn, deadLetterTarget: await deadLetterLookup(deps, arn, given) });
  const attributes = { ...q.attributes, ...checked };
  for (const [k, v] of Object.entries(checked)) if (v === '' && !(k in DEFAULTS)) delete attributes[k];
  await deps.repo.setAttributes(q.id, attributes, deps.clock.now());
  // A shorter delay or visibility may make messages receivable sooner.
  deps.waiters.wake(q.id);
  return {};
}

export async function listDeadLetterSourceQueues(deps: SqsDeps, ctx: Ctx, input: In<'ListDeadLetterSourceQueues'>): Promise<Out<'ListDeadLetterSourceQueues'>> {
  const dlq = await resolveQueue(deps, ctx, input.QueueUrl, 'ListDeadLetterSourceQueues');
  const dlqArn = arnOf(dlq);
  const limit = input.MaxResults ?? 1000;
  const after = input.NextToken ? decodeToken(input.NextToken) : '';
  const sources = (await deps.repo.listQueues(dlq.account, dlq.region, '', after, 1_000_000))
    .filter((q) => parseRedrivePolicy(q.attributes.RedrivePolicy)?.deadLetterTargetArn === dlqArn);
  const page = sources.slice(0, limit);
  const out: Out<'ListDeadLetterSourceQueues'> = { queueUrls: page.map((q) => urlOf(deps, q)) };
  if (input.MaxResults !== undefined && sources.length > limit) out.NextToken = encodeToken(page[page.length - 1]!.name);
  return out;
}

export { keyOf, queueDoesNotExist };
