/** CreateRegistry, DescribeRegistry, UpdateRegistry, DeleteRegistry, ListRegistries. */
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { SchemasDeps } from './deps.ts';
import {
  AWS_EVENTS_REGISTRY, DISCOVERED_REGISTRY, MANAGED_REGISTRIES, checkRegistryName, conflict, forbidden, registryArn, registryNotFound,
} from './names.ts';
import { page } from './paging.ts';
import type { Registry, Scope } from './repo.ts';

/** The managed registries exist in every scope; made on the scope's first use (once per process). */
export async function ensureManaged(deps: SchemasDeps, s: Scope): Promise<void> {
  const key = `${s.account}/${s.region}`;
  if (deps.managedScopes.has(key)) return;
  await deps.repo.ensureRegistry(s, { name: AWS_EVENTS_REGISTRY, description: 'Schemas of events emitted by AWS services.', tags: {} });
  await deps.repo.ensureRegistry(s, { name: DISCOVERED_REGISTRY, description: 'Schemas inferred by schema discovery from events on event buses.', tags: {} });
  deps.managedScopes.add(key);
}

export async function requireRegistry(deps: SchemasDeps, s: Scope, name: string): Promise<Registry> {
  await ensureManaged(deps, s);
  const r = await deps.repo.registry(s, name);
  if (!r) throw registryNotFound(name);
  return r;
}

/** Writes into aws.events (and changes to the managed registries themselves) are AWS's alone. */
export function checkWritable(registry: string, what = 'registry'): void {
  if (registry === AWS_EVENTS_REGISTRY) throw forbidden(`You are not authorized to modify the ${what} in the AWS-managed registry '${registry}'.`);
}

const describe = (s: Scope, r: Registry) => ({ RegistryName: r.name, RegistryArn: registryArn(s, r.name), Description: r.description, Tags: r.tags });

export async function createRegistry(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'CreateRegistry'>): Promise<CallOutput<'schemas', 'CreateRegistry'>> {
  const name = input.RegistryName!;
  checkRegistryName(name);
  await ensureManaged(deps, ctx);
  const r: Registry = { name, description: input.Description, tags: input.Tags ?? {} };
  if (!(await deps.repo.insertRegistry(ctx, r))) throw conflict(`Registry with name ${name} already exists.`);
  return describe(ctx, r);
}

export async function describeRegistry(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DescribeRegistry'>): Promise<CallOutput<'schemas', 'DescribeRegistry'>> {
  return describe(ctx, await requireRegistry(deps, ctx, input.RegistryName!));
}

export async function updateRegistry(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'UpdateRegistry'>): Promise<CallOutput<'schemas', 'UpdateRegistry'>> {
  const r = await requireRegistry(deps, ctx, input.RegistryName!);
  if (MANAGED_REGISTRIES.includes(r.name)) throw forbidden(`The registry '${r.name}' is managed by AWS and cannot be updated.`);
  if (input.Description !== undefined) await deps.repo.updateRegistry(ctx, r.name, { description: input.Description });
  return describe(ctx, { ...r, description: input.Description ?? r.description });
}

export async function deleteRegistry(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DeleteRegistry'>): Promise<CallOutput<'schemas', 'DeleteRegistry'>> {
  const r = await requireRegistry(deps, ctx, input.RegistryName!);
  if (MANAGED_REGISTRIES.includes(r.name)) throw forbidden(`The registry '${r.name}' is managed by AWS and cannot be deleted.`);
  await deps.repo.deleteRegistry(ctx, r.name);
  return {};
}

export async function listRegistries(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'ListRegistries'>): Promise<CallOutput<'schemas', 'ListRegistries'>> {
  await ensureManaged(deps, ctx);
  // Scope AWS: the registries AWS owns (aws.events); LOCAL: the account's own, discovered-schemas included.
  const scope = input.Scope?.toUpperCase();
  const all = (await deps.repo.registries(ctx)).filter(
    (r) => r.name.startsWith(input.RegistryNamePrefix ?? '') && (scope === 'AWS' ? r.name === AWS_EVENTS_REGISTRY : scope === 'LOCAL' ? r.name !== AWS_EVENTS_REGISTRY : true),
  );
  const p = page(all, (r) => r.name, input.Limit, input.NextToken);
  return { Registries: p.items.map((r) => ({ RegistryName: r.name, RegistryArn: registryArn(ctx, r.name), Tags: r.tags })), NextToken: p.next };
}
