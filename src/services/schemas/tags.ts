/** TagResource, UntagResource, ListTagsForResource on registries, schemas and discoverers (by ARN). */
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { SchemasDeps } from './deps.ts';
import { badRequest, discovererNotFound, notFound, parseResourceArn, schemaNotFound, type ArnTarget } from './names.ts';
import { checkWritable, requireRegistry } from './registries.ts';
import type { Tags } from './repo.ts';

const MAX_TAGS = 50;

interface Tagged {
  tags: Tags;
  save(tags: Tags): Promise<void>;
}

async function resolve(deps: SchemasDeps, ctx: Ctx, resourceArn: string): Promise<Tagged> {
  const t: ArnTarget | undefined = parseResourceArn(ctx, resourceArn);
  if (!t) throw notFound(`Resource '${resourceArn}' does not exist.`);
  if (t.kind === 'discoverer') {
    const d = await deps.repo.discoverer(ctx, t.id);
    if (!d) throw discovererNotFound(t.id);
    return { tags: d.tags, save: (tags) => deps.repo.updateDiscoverer(ctx, t.id, { tags }) };
  }
  const registry = await requireRegistry(deps, ctx, t.registry);
  if (t.kind === 'registry') return { tags: registry.tags, save: (tags) => deps.repo.updateRegistry(ctx, t.registry, { tags }) };
  const schema = await deps.repo.schema(ctx, t.registry, t.schema);
  if (!schema) throw schemaNotFound(t.schema);
  return { tags: schema.tags, save: (tags) => deps.repo.updateSchema(ctx, t.registry, t.schema, { tags }) };
}

function checkTags(tags: Tags): Tags {
  for (const k of Object.keys(tags)) {
    if (k.toLowerCase().startsWith('aws:')) throw badRequest(`Invalid tag key '${k}': keys beginning with aws: are reserved for AWS.`);
  }
  if (Object.keys(tags).length > MAX_TAGS) throw badRequest(`A resource can have at most ${MAX_TAGS} tags.`);
  return tags;
}

const writable = (resourceArn: string, ctx: Ctx) => {
  const t = parseResourceArn(ctx, resourceArn);
  if (t && t.kind !== 'discoverer') checkWritable(t.registry, 'tags');
};

export async function tagResource(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'TagResource'>): Promise<CallOutput<'schemas', 'TagResource'>> {
  writable(input.ResourceArn!, ctx);
  const r = await resolve(deps, ctx, input.ResourceArn!);
  await r.save(checkTags({ ...r.tags, ...input.Tags }));
  return {};
}

export async function untagResource(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'UntagResource'>): Promise<CallOutput<'schemas', 'UntagResource'>> {
  writable(input.ResourceArn!, ctx);
  const r = await resolve(deps, ctx, input.ResourceArn!);
  const tags = { ...r.tags };
  for (const k of input.TagKeys ?? []) delete tags[k];
  await r.save(tags);
  return {};
}

export async function listTagsForResource(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'ListTagsForResource'>): Promise<CallOutput<'schemas', 'ListTagsForResource'>> {
  return { Tags: (await resolve(deps, ctx, input.ResourceArn!)).tags };
}
