/**
 * SearchSchemas: the schemas of one registry that contain the keywords — in their name or in a
 * version's content (as AWS's search matches both), case-insensitively, every whitespace-separated
 * keyword required. Each result lists the versions that match.
 */
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { SchemasDeps } from './deps.ts';
import { badRequest, schemaArn } from './names.ts';
import { page } from './paging.ts';
import { requireRegistry } from './registries.ts';
import type { SchemaVersion } from './repo.ts';

export function matches(keywords: string[], name: string, v: SchemaVersion): boolean {
  const n = name.toLowerCase();
  const c = v.content.toLowerCase();
  return keywords.every((k) => n.includes(k) || c.includes(k));
}

export async function searchSchemas(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'SearchSchemas'>): Promise<CallOutput<'schemas', 'SearchSchemas'>> {
  const registry = input.RegistryName!;
  const keywords = (input.Keywords ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (keywords.length === 0) throw badRequest('Keywords must hold at least one keyword.');
  await requireRegistry(deps, ctx, registry);
  const found: { name: string; versions: SchemaVersion[] }[] = [];
  for (const s of await deps.repo.schemas(ctx, registry)) {
    const versions = (await deps.repo.versions(ctx, registry, s.name)).filter((v) => matches(keywords, s.name, v));
    if (versions.length) found.push({ name: s.name, versions });
  }
  const p = page(found, (f) => f.name, input.Limit, input.NextToken);
  return {
    Schemas: p.items.map((f) => ({
      RegistryName: registry, SchemaName: f.name, SchemaArn: schemaArn(ctx, registry, f.name),
      SchemaVersions: f.versions.map((v) => ({ SchemaVersion: String(v.version), CreatedDate: new Date(v.createdAt), Type: v.type as 'OpenApi3' })),
    })),
    NextToken: p.next,
  };
}
