import type { Destination } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { DestinationRecord } from '../../../store/meta/subscriptions.ts';
import { required } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import { InvalidPolicyError, parseAccessPolicy } from './access-policy.ts';
import type { SubscriptionDeps } from './deps.ts';
import { destinationArn, destinationNotFound, requireStreamSink } from './resolve.ts';
import { parseTargetArn } from './targets.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/**
 * Creates or updates a destination: a name other accounts' subscription filters can point at,
 * standing for a Kinesis or Firehose stream of this account. Updating keeps the access policy.
 */
export async function putDestination(deps: SubscriptionDeps, ctx: Ctx, input: CallInput<'logs', 'PutDestination'>): Promise<CallOutput<'logs', 'PutDestination'>> {
  const targetArn = required(input.targetArn, 'targetArn');
  const target = parseTargetArn(targetArn);
  if (target?.kind !== 'kinesis' && target?.kind !== 'firehose') {
    throw new ServiceError(
      'InvalidParameterException',
      `Invalid targetArn ${targetArn}: a destination targets a Kinesis stream (arn:aws:kinesis:<region>:<account>:stream/<name>) ` +
        'or a Firehose delivery stream (arn:aws:firehose:<region>:<account>:deliverystream/<name>).',
    );
  }
  await requireStreamSink(deps, target, target.kind);
  const d = await deps.subs.putDestination({
    account: ctx.account,
    region: ctx.region,
    name: required(input.destinationName, 'destinationName'),
    targetArn,
    roleArn: required(input.roleArn, 'roleArn'),
    tags: input.tags ?? {},
    createdAt: ctx.clock.now(),
  });
  return { destination: describeDestination(d) };
}

export async function putDestinationPolicy(
  deps: SubscriptionDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'PutDestinationPolicy'>,
): Promise<CallOutput<'logs', 'PutDestinationPolicy'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.destinationName, 'destinationName') };
  const accessPolicy = required(input.accessPolicy, 'accessPolicy');
  if (!(await deps.subs.getDestination(key))) throw destinationNotFound();
  try {
    parseAccessPolicy(accessPolicy);
  } catch (e) {
    if (e instanceof InvalidPolicyError) throw new ServiceError('InvalidParameterException', `Invalid access policy: ${e.message}.`);
    throw e;
  }
  if (!(await deps.subs.setDestinationPolicy(key, accessPolicy))) throw destinationNotFound();
  return {};
}

interface DestinationsToken {
  after: string;
  prefix: string;
}
const isDestinationsToken = (v: unknown): v is DestinationsToken =>
  typeof v === 'object' && v !== null && typeof (v as DestinationsToken).after === 'string' && typeof (v as DestinationsToken).prefix === 'string';

export async function describeDestinations(
  deps: SubscriptionDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'DescribeDestinations'>,
): Promise<CallOutput<'logs', 'DescribeDestinations'>> {
  const limit = input.limit ?? 50;
  const prefix = input.DestinationNamePrefix ?? '';
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken, isDestinationsToken);
    if (t.prefix !== prefix) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
    after = t.after;
  }
  const rows = await deps.subs.listDestinations({
    account: ctx.account,
    region: ctx.region,
    prefix: input.DestinationNamePrefix,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    destinations: page.map(describeDestination),
    nextToken: rows.length > limit ? encodeToken({ after: page[page.length - 1].name, prefix }) : undefined,
  };
}

/**
 * Deleting a destination stops deliveries through it; the senders' subscription filters stay
 * (and deliver nothing) until their owners delete them.
 */
export async function deleteDestination(deps: SubscriptionDeps, ctx: Ctx, input: CallInput<'logs', 'DeleteDestination'>): Promise<CallOutput<'logs', 'DeleteDestination'>> {
  if (!(await deps.subs.deleteDestination({ account: ctx.account, region: ctx.region, name: required(input.destinationName, 'destinationName') }))) {
    throw destinationNotFound();
  }
  return {};
}

function describeDestination(d: DestinationRecord): Destination {
  return {
    destinationName: d.name,
    targetArn: d.targetArn,
    roleArn: d.roleArn,
    accessPolicy: d.accessPolicy ?? undefined,
    arn: destinationArn(d),
    creationTime: d.createdAt,
  };
}
