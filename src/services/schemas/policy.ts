/** PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy: a registry's resource-based policy. */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import { isObject } from './content.ts';
import type { SchemasDeps } from './deps.ts';
import { badRequest, notFound } from './names.ts';
import { checkWritable, requireRegistry } from './registries.ts';

function registryName(name: string | undefined): string {
  if (!name) throw badRequest('RegistryName is required: resource policies are attached to a registry.');
  return name;
}

export async function putResourcePolicy(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'PutResourcePolicy'>): Promise<CallOutput<'schemas', 'PutResourcePolicy'>> {
  const name = registryName(input.RegistryName);
  checkWritable(name, 'policy');
  const r = await requireRegistry(deps, ctx, name);
  // The model marks Policy as a JSON value: the SDK may hand over a document, the wire a string.
  const policy = typeof input.Policy === 'string' ? input.Policy : JSON.stringify(input.Policy);
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw badRequest('Invalid Policy: the policy must be a JSON document.');
  }
  if (!isObject(doc) || doc.Statement === undefined) throw badRequest("Invalid Policy: the policy must be a JSON object with a 'Statement'.");
  // RevisionId makes the put conditional: it must name the policy being replaced (optimistic locking).
  if (input.RevisionId !== undefined && input.RevisionId !== r.policyRevision) {
    throw new ServiceError('PreconditionFailedException', `The RevisionId '${input.RevisionId}' does not match the current revision of the policy of registry '${name}'.`);
  }
  const revision = randomUUID();
  await deps.repo.updateRegistry(ctx, name, { policy, policyRevision: revision });
  return { Policy: policy, RevisionId: revision };
}

export async function getResourcePolicy(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'GetResourcePolicy'>): Promise<CallOutput<'schemas', 'GetResourcePolicy'>> {
  const name = registryName(input.RegistryName);
  const r = await requireRegistry(deps, ctx, name);
  if (r.policy === undefined) throw notFound(`Resource policy for registry '${name}' does not exist.`);
  return { Policy: r.policy, RevisionId: r.policyRevision };
}

export async function deleteResourcePolicy(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DeleteResourcePolicy'>): Promise<CallOutput<'schemas', 'DeleteResourcePolicy'>> {
  const name = registryName(input.RegistryName);
  checkWritable(name, 'policy');
  const r = await requireRegistry(deps, ctx, name);
  if (r.policy === undefined) throw notFound(`Resource policy for registry '${name}' does not exist.`);
  await deps.repo.updateRegistry(ctx, name, { policy: undefined });
  return {};
}
