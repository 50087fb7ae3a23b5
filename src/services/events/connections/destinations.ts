/**
 * API destinations: Create/Describe/Update/Delete/ListApiDestinations. A destination names an
 * existing connection of the same account and Region; its state follows the connection's (ACTIVE
 * while the connection is AUTHORIZED, INACTIVE otherwise — AWS shows an OAuth connection's
 * destinations INACTIVE until its token arrives).
 */
import type { ApiDestination } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { afterToken, pageOf } from '../paging.ts';
import type { In, Out } from '../types.ts';
import { checkEndpoint } from './auth.ts';
import {
  connectionNameOf, connectionNotFound, DEFAULT_RATE_LIMIT, destinationArn, destinationNotFound, LIMITS, MAX_LIST_LIMIT, tooMany, type ConnectionsContext,
} from './context.ts';
import type { DestinationRecord } from './repo.ts';

const date = (ms: number) => new Date(ms);

type States = ReadonlyMap<string, string>;

/** The states of the destinations' connections, read in one statement. */
const statesOf = (c: ConnectionsContext, ds: readonly DestinationRecord[]): Promise<States> => c.repo.connectionStates(ds.map((d) => d.connectionArn));

function stateOf(states: States, d: DestinationRecord): ApiDestination['ApiDestinationState'] {
  return states.get(d.connectionArn) === 'AUTHORIZED' ? 'ACTIVE' : 'INACTIVE';
}

/** The connection must exist in the caller's account and Region. */
async function checkConnection(c: ConnectionsContext, ctx: Ctx, arn: string): Promise<void> {
  const name = connectionNameOf(ctx, arn) ?? arn;
  const conn = await c.repo.connectionByArn(arn);
  if (!conn || connectionNameOf(ctx, conn.arn) === undefined) throw connectionNotFound(name);
}

async function load(c: ConnectionsContext, ctx: Ctx, name: string): Promise<DestinationRecord> {
  const d = await c.repo.getDestination(ctx, name);
  if (!d) throw destinationNotFound(name);
  return d;
}

const summary = (states: States, d: DestinationRecord) => ({
  ApiDestinationArn: d.arn, ApiDestinationState: stateOf(states, d), CreationTime: date(d.createdAt), LastModifiedTime: date(d.modifiedAt),
});

const view = (states: States, d: DestinationRecord): ApiDestination => ({
  ...summary(states, d), Name: d.name, ConnectionArn: d.connectionArn, InvocationEndpoint: d.endpoint,
  HttpMethod: d.httpMethod as ApiDestination['HttpMethod'], InvocationRateLimitPerSecond: d.rateLimit,
});

export async function createApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'CreateApiDestination'>): Promise<Out<'CreateApiDestination'>> {
  const name = input.Name!;
  checkEndpoint('InvocationEndpoint', input.InvocationEndpoint!);
  await checkConnection(c, ctx, input.ConnectionArn!);
  if (await c.repo.getDestination(ctx, name)) throw new ServiceError('ResourceAlreadyExistsException', `An api-destination '${name}' already exists.`);
  if ((await c.repo.countDestinations(ctx)) >= LIMITS.apiDestinations) throw tooMany();
  const now = c.clock.now();
  const d: DestinationRecord = {
    name, arn: destinationArn(ctx, name), description: input.Description, connectionArn: input.ConnectionArn!, endpoint: input.InvocationEndpoint!,
    httpMethod: input.HttpMethod!, rateLimit: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT, createdAt: now, modifiedAt: now,
  };
  if (!(await c.repo.insertDestination(ctx, d))) throw new ServiceError('ResourceAlreadyExistsException', `An api-destination '${name}' already exists.`);
  return summary(await statesOf(c, [d]), d);
}

export async function describeApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'DescribeApiDestination'>): Promise<Out<'DescribeApiDestination'>> {
  const d = await load(c, ctx, input.Name!);
  return { ...view(await statesOf(c, [d]), d), Description: d.description };
}

export async function listApiDestinations(c: ConnectionsContext, ctx: Ctx, input: In<'ListApiDestinations'>): Promise<Out<'ListApiDestinations'>> {
  const limit = Math.min(input.Limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT);
  const rows = await c.repo.listDestinations(ctx, { prefix: input.NamePrefix, connectionArn: input.ConnectionArn, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (r) => r.name);
  const states = await statesOf(c, items);
  return { ApiDestinations: items.map((d) => view(states, d)), NextToken: token };
}

export async function updateApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'UpdateApiDestination'>): Promise<Out<'UpdateApiDestination'>> {
  const d = await load(c, ctx, input.Name!);
  if (input.InvocationEndpoint !== undefined) checkEndpoint('InvocationEndpoint', input.InvocationEndpoint);
  if (input.ConnectionArn !== undefined) await checkConnection(c, ctx, input.ConnectionArn);
  await c.repo.updateDestination(ctx, d.name, {
    modifiedAt: c.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.ConnectionArn !== undefined ? { connectionArn: input.ConnectionArn } : {}),
    ...(input.InvocationEndpoint !== undefined ? { endpoint: input.InvocationEndpoint } : {}),
    ...(input.HttpMethod !== undefined ? { httpMethod: input.HttpMethod } : {}),
    ...(input.InvocationRateLimitPerSecond !== undefined ? { rateLimit: input.InvocationRateLimitPerSecond } : {}),
  });
  if (input.InvocationRateLimitPerSecond !== undefined) c.limiter.forget(d.arn);
  const updated = await load(c, ctx, d.name);
  return summary(await statesOf(c, [updated]), updated);
}

export async function deleteApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'DeleteApiDestination'>): Promise<Out<'DeleteApiDestination'>> {
  const d = await load(c, ctx, input.Name!);
  await c.repo.deleteDestination(ctx, d.name);
  c.limiter.forget(d.arn);
  return {};
}
