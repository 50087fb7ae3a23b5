/** CreateSchema, DescribeSchema, UpdateSchema, DeleteSchema, DeleteSchemaVersion, ListSchemas, ListSchemaVersions. */
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import { checkContent, checkType } from './content.ts';
import type { SchemasDeps } from './deps.ts';
import { badRequest, checkSchemaName, conflict, notFound, parseVersion, schemaArn, schemaNotFound } from './names.ts';
import { page } from './paging.ts';
import { checkWritable, requireRegistry } from './registries.ts';
import type { Schema, SchemaVersion, Scope } from './repo.ts';

export async function requireSchema(deps: SchemasDeps, s: Scope, registry: string, name: string): Promise<Schema> {
  await requireRegistry(deps, s, registry);
  const schema = await deps.repo.schema(s, registry, name);
  if (!schema) throw schemaNotFound(name);
  return schema;
}

/** A version (the latest when `version` is undefined); NotFound when it was deleted or never made. */
export async function requireVersion(deps: SchemasDeps, s: Scope, schema: Schema, version: string | undefined): Promise<SchemaVersion> {
  const v = await deps.repo.version(s, schema.registry, schema.name, version === undefined ? undefined : parseVersion(version));
  if (!v) throw notFound(`Schema '${schema.name}' does not have version '${version ?? 'latest'}'.`);
  return v;
}

const described = (s: Scope, schema: Schema, v: SchemaVersion) => ({
  SchemaArn: schemaArn(s, schema.registry, schema.name),
  SchemaName: schema.name,
  SchemaVersion: String(v.version),
  Type: v.type,
  Description: schema.description,
  LastModified: new Date(schema.lastModified),
  VersionCreatedDate: new Date(v.createdAt),
  Tags: schema.tags,
});

export async function createSchema(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'CreateSchema'>): Promise<CallOutput<'schemas', 'CreateSchema'>> {
  const registry = input.RegistryName!;
  const name = input.SchemaName!;
  await requireRegistry(deps, ctx, registry);
  checkWritable(registry, 'schemas');
  checkSchemaName(name);
  const type = checkType(input.Type);
  checkContent(type, input.Content!);
  if (await deps.repo.schema(ctx, registry, name)) throw conflict(`Schema with name ${name} already exists.`);
  const now = deps.clock.now();
  await deps.repo.appendVersion(ctx, registry, name, { type, content: input.Content!, createdAt: now }, { create: { tags: input.Tags ?? {} }, description: input.Description });
  const schema = (await deps.repo.schema(ctx, registry, name))!;
  return described(ctx, schema, (await deps.repo.version(ctx, registry, name))!);
}

export async function describeSchema(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DescribeSchema'>): Promise<CallOutput<'schemas', 'DescribeSchema'>> {
  const schema = await requireSchema(deps, ctx, input.RegistryName!, input.SchemaName!);
  const v = await requireVersion(deps, ctx, schema, input.SchemaVersion);
  return { ...described(ctx, schema, v), Content: v.content };
}

/** A new version only when Content (or Type) changes; a Description alone updates the schema in place. */
export async function updateSchema(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'UpdateSchema'>): Promise<CallOutput<'schemas', 'UpdateSchema'>> {
  const registry = input.RegistryName!;
  checkWritable(registry, 'schemas');
  const schema = await requireSchema(deps, ctx, registry, input.SchemaName!);
  const latest = await requireVersion(deps, ctx, schema, undefined);
  if (input.Type !== undefined && input.Content === undefined) throw badRequest('Content is required when Type is given: a schema type applies to its content.');
  const type = checkType(input.Type ?? latest.type);
  const now = deps.clock.now();
  if (input.Content !== undefined && (input.Content !== latest.content || type !== latest.type)) {
    checkContent(type, input.Content);
    await deps.repo.appendVersion(ctx, registry, schema.name, { type, content: input.Content, createdAt: now }, { description: input.Description });
  } else if (input.Description !== undefined) {
    await deps.repo.updateSchema(ctx, registry, schema.name, { description: input.Description, lastModified: now });
  }
  const after = (await deps.repo.schema(ctx, registry, schema.name))!;
  return described(ctx, after, (await deps.repo.version(ctx, registry, schema.name))!);
}

export async function deleteSchema(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DeleteSchema'>): Promise<CallOutput<'schemas', 'DeleteSchema'>> {
  checkWritable(input.RegistryName!, 'schemas');
  const schema = await requireSchema(deps, ctx, input.RegistryName!, input.SchemaName!);
  await deps.repo.deleteSchema(ctx, schema.registry, schema.name);
  return {};
}

export async function deleteSchemaVersion(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'DeleteSchemaVersion'>): Promise<CallOutput<'schemas', 'DeleteSchemaVersion'>> {
  checkWritable(input.RegistryName!, 'schemas');
  const schema = await requireSchema(deps, ctx, input.RegistryName!, input.SchemaName!);
  const v = await requireVersion(deps, ctx, schema, input.SchemaVersion!);
  // A schema always has a version to describe; removing the last one is DeleteSchema's job.
  if (schema.versionCount <= 1) {
    throw badRequest(`Version '${v.version}' is the only version of schema '${schema.name}'; delete the schema with DeleteSchema instead.`);
  }
  await deps.repo.deleteVersion(ctx, schema.registry, schema.name, v.version);
  return {};
}

export async function listSchemas(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'ListSchemas'>): Promise<CallOutput<'schemas', 'ListSchemas'>> {
  await requireRegistry(deps, ctx, input.RegistryName!);
  const all = (await deps.repo.schemas(ctx, input.RegistryName!)).filter((s) => s.name.startsWith(input.SchemaNamePrefix ?? ''));
  const p = page(all, (s) => s.name, input.Limit, input.NextToken);
  return {
    Schemas: p.items.map((s) => ({
      SchemaName: s.name, SchemaArn: schemaArn(ctx, s.registry, s.name), LastModified: new Date(s.lastModified), VersionCount: s.versionCount, Tags: s.tags,
    })),
    NextToken: p.next,
  };
}

export async function listSchemaVersions(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'ListSchemaVersions'>): Promise<CallOutput<'schemas', 'ListSchemaVersions'>> {
  const schema = await requireSchema(deps, ctx, input.RegistryName!, input.SchemaName!);
  const versions = await deps.repo.versions(ctx, schema.registry, schema.name);
  // Zero-padded keys so the name-ordered pager walks versions in numeric order.
  const p = page(versions, (v) => String(v.version).padStart(10, '0'), input.Limit, input.NextToken);
  return {
    SchemaVersions: p.items.map((v) => ({ SchemaArn: schemaArn(ctx, schema.registry, schema.name), SchemaName: schema.name, SchemaVersion: String(v.version), Type: v.type as 'OpenApi3' })),
    NextToken: p.next,
  };
}
