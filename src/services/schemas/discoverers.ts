/** CreateDiscoverer, DescribeDiscoverer, UpdateDiscoverer, DeleteDiscoverer, ListDiscoverers, StartDiscoverer, StopDiscoverer. */
import { parseArn } from '../../lib/arn.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { SchemasDeps } from './deps.ts';
import { badRequest, conflict, discovererArn, discovererNotFound } from './names.ts';
import { page } from './paging.ts';
import type { Discoverer, Scope } from './repo.ts';

/** The event bus a SourceArn names; discoverers watch buses of their own account and Region. */
function busOf(s: Scope, sourceArn: string): string {
  const a = parseArn(sourceArn);
  if (!a || a.service !== 'events' || !a.resource.startsWith('event-bus/') || a.resource.length === 'event-bus/'.length) {
    throw badRequest(`Invalid SourceArn '${sourceArn}': a discoverer's source is an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>).`);
  }
  if (a.account !== s.account || a.region !== s.region) {
    throw badRequest(`Invalid SourceArn '${sourceArn}': the event bus must be in account ${s.account} and Region ${s.region}.`);
  }
  return a.resource.slice('event-bus/'.length);
}

const described = (s: Scope, d: Discoverer) => ({
  DiscovererId: d.id, DiscovererArn: discovererArn(s, d.id), SourceArn: d.sourceArn, Description: d.description,
  State: d.state, CrossAccount: d.crossAccount, Tags: d.tags,
});

async function requireDiscoverer(deps: SchemasDeps, s: Scope, id: string): Promise<Discoverer> {
  const d = await deps.repo.discoverer(s, id);
  if (!d) throw discovererNotFound(id);
  return d;
}

export async function createDiscoverer(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'CreateDiscoverer'>): Promise<CallOutput<'schemas', 'CreateDiscoverer'>> {
  const bus = busOf(ctx, input.SourceArn!);
  // AWS names a bus's discoverer after it, so a bus has at most one.
  const d: Discoverer = {
    id: `events-event-bus-${bus}`, sourceArn: input.SourceArn!, description: input.Description, state: 'STARTED',
    crossAccount: input.CrossAccount ?? true, tags: input.Tags ?? {},
  };
  if (!(await deps.repo.insertDiscoverer(ctx, d))) throw conflict(`Discoverer for event bus '${bus}' already exists.`);
  return described(ctx, d);
}

export async function describeDiscoverer(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DescribeDiscoverer'>): Promise<CallOutput<'schemas', 'DescribeDiscoverer'>> {
  return described(ctx, await requireDiscoverer(deps, ctx, input.DiscovererId!));
}

export async function updateDiscoverer(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'UpdateDiscoverer'>): Promise<CallOutput<'schemas', 'UpdateDiscoverer'>> {
  const d = await requireDiscoverer(deps, ctx, input.DiscovererId!);
  const patch = { description: input.Description, crossAccount: input.CrossAccount };
  await deps.repo.updateDiscoverer(ctx, d.id, patch);
  return described(ctx, { ...d, description: patch.description ?? d.description, crossAccount: patch.crossAccount ?? d.crossAccount });
}

export async function deleteDiscoverer(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DeleteDiscoverer'>): Promise<CallOutput<'schemas', 'DeleteDiscoverer'>> {
  if (!(await deps.repo.deleteDiscoverer(ctx, input.DiscovererId!))) throw discovererNotFound(input.DiscovererId!);
  return {};
}

export async function listDiscoverers(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'ListDiscoverers'>): Promise<CallOutput<'schemas', 'ListDiscoverers'>> {
  const all = (await deps.repo.discoverers(ctx)).filter(
    (d) => d.id.startsWith(input.DiscovererIdPrefix ?? '') && d.sourceArn.startsWith(input.SourceArnPrefix ?? ''),
  );
  const p = page(all, (d) => d.id, input.Limit, input.NextToken);
  return {
    Discoverers: p.items.map((d) => ({ DiscovererId: d.id, DiscovererArn: discovererArn(ctx, d.id), SourceArn: d.sourceArn, State: d.state, CrossAccount: d.crossAccount, Tags: d.tags })),
    NextToken: p.next,
  };
}

async function setState(deps: SchemasDeps, ctx: Ctx, id: string, state: Discoverer['state']) {
  const d = await requireDiscoverer(deps, ctx, id);
  await deps.repo.updateDiscoverer(ctx, d.id, { state });
  return { DiscovererId: d.id, State: state };
}

export const startDiscoverer = (deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'StartDiscoverer'>): Promise<CallOutput<'schemas', 'StartDiscoverer'>> =>
  setState(deps, ctx, input.DiscovererId!, 'STARTED');

export const stopDiscoverer = (deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'StopDiscoverer'>): Promise<CallOutput<'schemas', 'StopDiscoverer'>> =>
  setState(deps, ctx, input.DiscovererId!, 'STOPPED');
