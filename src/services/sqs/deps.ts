/** What the SQS handlers share; built once by the module. */
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { Clock } from '../../lib/clock.ts';
import type { SqsRepo, QueueRow } from './repo.ts';
import type { Waiters } from './waiters.ts';
import type { MessageStore } from './store/types.ts';
import { parseQueueArn, parseQueueUrl, queueArn, queueDoesNotExist, queueUrl, type QueueKey } from './names.ts';
import { DEFAULTS } from './attributes.ts';
import { policyAllows } from './policy.ts';

export interface SqsDeps {
  repo: SqsRepo;
  clock: Clock;
  waiters: Waiters;
  /** Where messages live: rows on PostgreSQL, memory + a journal with the embedded store. */
  messages: MessageStore;
  publicUrl(): string;
}

export const keyOf = (q: QueueRow): QueueKey => ({ account: q.account, region: q.region, name: q.name });
export const arnOf = (q: QueueRow): string => queueArn(keyOf(q));
export const urlOf = (deps: SqsDeps, q: QueueRow): string => queueUrl(deps.publicUrl(), keyOf(q));

/** A queue attribute's effective value (stored, else its default). */
export const attr = (q: QueueRow, name: string): string | undefined => q.attributes[name] ?? DEFAULTS[name];
export const numAttr = (q: QueueRow, name: string): number => Number(attr(q, name));

/**
 * The queue a request's QueueUrl names. Another account's queue is reachable only when its policy
 * allows the caller the action, as on AWS; otherwise it does not exist for the caller. An AWS service
 * acting on a resource's behalf (ctx.invokedBy: SNS, EventBridge, Scheduler) needs the queue's policy
 * to allow its service principal, in the queue's own account too.
 */
export async function resolveQueue(deps: SqsDeps, ctx: Ctx, url: string | undefined, action: string): Promise<QueueRow> {
  if (url === undefined || url === '') throw new ServiceError('MissingParameter', 'The request must contain the parameter QueueUrl.');
  return checkAccess(deps, ctx, parseQueueUrl(ctx, url), action);
}

export async function resolveArn(deps: SqsDeps, ctx: Ctx, arn: string, param: string, action: string): Promise<QueueRow> {
  const key = parseQueueArn(arn, param);
  if (key.region !== ctx.region) throw queueDoesNotExist();
  return checkAccess(deps, ctx, key, action);
}

async function checkAccess(deps: SqsDeps, ctx: Ctx, key: QueueKey, action: string): Promise<QueueRow> {
  const q = await deps.repo.queue(key);
  const by = ctx.invokedBy;
  if (key.account === ctx.account && !by) {
    if (!q) throw queueDoesNotExist();
    return q;
  }
  if (by && !q && key.account === ctx.account) throw queueDoesNotExist();
  const service = by ? { name: by.service, sourceArn: by.sourceArn, sourceAccount: by.sourceAccount } : undefined;
  if (!q || !policyAllows(q.attributes.Policy, { principalArn: ctx.principalArn, account: ctx.account, action: `sqs:${action}`, resource: arnOf(q), service })) {
    throw new ServiceError('AccessDenied', `Access to the resource ${queueUrl(deps.publicUrl(), key)} is denied.`, { status: 403 });
  }
  return q;
}
