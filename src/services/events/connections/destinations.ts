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

function stateOf(c: ConnectionsContext, d: DestinationRecord): ApiDestination['ApiDestinationState'] {
  return c.repo.connectionByArn(d.connectionArn)?.state === 'AUTHORIZED' ? 'ACTIVE' : 'INACTIVE';
}

/** The connection must exist in the caller's account and Region. */
function checkConnection(c: ConnectionsContext, ctx: Ctx, arn: string): void {
  const name = connectionNameOf(ctx, arn) ?? arn;
  const conn = c.repo.connectionByArn(arn);
  if (!conn || connectionNameOf(ctx, conn.arn) === undefined) throw connectionNotFound(name);
}

function load(c: ConnectionsContext, ctx: Ctx, name: string): DestinationRecord {
  const d = c.repo.getDestination(ctx, name);
  if (!d) throw destinationNotFound(name);
  return d;
}

const summary = (c: ConnectionsContext, d: DestinationRecord) => ({
  ApiDestinationArn: d.arn, ApiDestinationState: stateOf(c, d), CreationTime: date(d.createdAt), LastModifiedTime: date(d.modifiedAt),
});

const view = (c: ConnectionsContext, d: DestinationRecord): ApiDestination => ({
  ...summary(c, d), Name: d.name, ConnectionArn: d.connectionArn, InvocationEndpoint: d.endpoint,
  HttpMethod: d.httpMethod as ApiDestination['HttpMethod'], InvocationRateLimitPerSecond: d.rateLimit,
});

export function createApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'CreateApiDestination'>): Out<'CreateApiDestination'> {
  const name = input.Name!;
  checkEndpoint('InvocationEndpoint', input.InvocationEndpoint!);
  checkConnection(c, ctx, input.ConnectionArn!);
  if (c.repo.getDestination(ctx, name)) throw new ServiceError('ResourceAlreadyExistsException', `An api-destination '${name}' already exists.`);
  if (c.repo.countDestinations(ctx) >= LIMITS.apiDestinations) throw tooMany();
  const now = c.clock.now();
  const d: DestinationRecord = {
    name, arn: destinationArn(ctx, name), description: input.Description, connectionArn: input.ConnectionArn!, endpoint: input.InvocationEndpoint!,
    httpMethod: input.HttpMethod!, rateLimit: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT, createdAt: now, modifiedAt: now,
  };
  if (!c.repo.insertDestination(ctx, d)) throw new ServiceError('ResourceAlreadyExistsException', `An api-destination '${name}' already exists.`);
  return summary(c, d);
}

export function describeApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'DescribeApiDestination'>): Out<'DescribeApiDestination'> {
  const d = load(c, ctx, input.Name!);
  return { ...view(c, d), Description: d.description };
}

export function listApiDestinations(c: ConnectionsContext, ctx: Ctx, input: In<'ListApiDestinations'>): Out<'ListApiDestinations'> {
  const limit = Math.min(input.Limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT);
  const rows = c.repo.listDestinations(ctx, { prefix: input.NamePrefix, connectionArn: input.ConnectionArn, after: afterToken(input.NextToken), limit: limit + 1 });
  const { items, token } = pageOf(rows, limit, (r) => r.name);
  return { ApiDestinations: items.map((d) => view(c, d)), NextToken: token };
}

export function updateApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'UpdateApiDestination'>): Out<'UpdateApiDestination'> {
  const d = load(c, ctx, input.Name!);
  if (input.InvocationEndpoint !== undefined) checkEndpoint('InvocationEndpoint', input.InvocationEndpoint);
  if (input.ConnectionArn !== undefined) checkConnection(c, ctx, input.ConnectionArn);
  c.repo.updateDestination(ctx, d.name, {
    modifiedAt: c.clock.now(),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.ConnectionArn !== undefined ? { connectionArn: input.ConnectionArn } : {}),
    ...(input.InvocationEndpoint !== undefined ? { endpoint: input.InvocationEndpoint } : {}),
    ...(input.HttpMethod !== undefined ? { httpMethod: input.HttpMethod } : {}),
    ...(input.InvocationRateLimitPerSecond !== undefined ? { rateLimit: input.InvocationRateLimitPerSecond } : {}),
  });
  if (input.InvocationRateLimitPerSecond !== undefined) c.limiter.forget(d.arn);
  return summary(c, load(c, ctx, d.name));
}

export function deleteApiDestination(c: ConnectionsContext, ctx: Ctx, input: In<'DeleteApiDestination'>): Out<'DeleteApiDestination'> {
  const d = load(c, ctx, input.Name!);
  c.repo.deleteDestination(ctx, d.name);
  c.limiter.forget(d.arn);
  return {};
}
