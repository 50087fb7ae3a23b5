/**
 * The EventBridge schema registry: registries (with the AWS-managed aws.events, read-only, and
 * discovered-schemas), versioned OpenApi3 / JSONSchemaDraft4 schemas, search, export to JSON Schema,
 * tags, registry policies, and discoverers that infer schemas from the events a bus accepts
 * (`events.accepted` facts, processed off the PutEvents path). Code bindings answer 501.
 */
import type { Env, ServiceModule } from '../../server/module.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { SchemasDeps } from './deps.ts';
import { getDiscoveredSchema } from './discovered.ts';
import {
  createDiscoverer, deleteDiscoverer, describeDiscoverer, listDiscoverers, startDiscoverer, stopDiscoverer, updateDiscoverer,
} from './discoverers.ts';
import { Discovery } from './discovery.ts';
import { exportSchema } from './export.ts';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './policy.ts';
import { createRegistry, deleteRegistry, describeRegistry, listRegistries, updateRegistry } from './registries.ts';
import { SchemasStore } from './repo.ts';
import { SCHEMAS_MIGRATIONS } from './schema.ts';
import { createSchema, deleteSchema, deleteSchemaVersion, describeSchema, listSchemaVersions, listSchemas, updateSchema } from './schemas.ts';
import { searchSchemas } from './search.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';

export async function createSchemas(env: Env): Promise<ServiceModule<'schemas'>> {
  await env.migrate('schemas', SCHEMAS_MIGRATIONS);
  const deps: SchemasDeps = { repo: new SchemasStore(env.db), clock: env.clock, log: env.log, managedScopes: new Set() };
  const discovery = new Discovery(deps);
  const unsubscribe = env.bus.subscribe('events.accepted', (f) => discovery.accept(f));
  const handlers: ServiceHandlers<'schemas'> = {
    CreateRegistry: (ctx, input) => createRegistry(deps, ctx, input),
    DescribeRegistry: (ctx, input) => describeRegistry(deps, ctx, input),
    UpdateRegistry: (ctx, input) => updateRegistry(deps, ctx, input),
    DeleteRegistry: (ctx, input) => deleteRegistry(deps, ctx, input),
    ListRegistries: (ctx, input) => listRegistries(deps, ctx, input),
    CreateSchema: (ctx, input) => createSchema(deps, ctx, input),
    DescribeSchema: (ctx, input) => describeSchema(deps, ctx, input),
    UpdateSchema: (ctx, input) => updateSchema(deps, ctx, input),
    DeleteSchema: (ctx, input) => deleteSchema(deps, ctx, input),
    DeleteSchemaVersion: (ctx, input) => deleteSchemaVersion(deps, ctx, input),
    ListSchemas: (ctx, input) => listSchemas(deps, ctx, input),
    ListSchemaVersions: (ctx, input) => listSchemaVersions(deps, ctx, input),
    SearchSchemas: (ctx, input) => searchSchemas(deps, ctx, input),
    ExportSchema: (ctx, input) => exportSchema(deps, ctx, input),
    GetDiscoveredSchema: (_ctx, input) => getDiscoveredSchema(input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
    PutResourcePolicy: (ctx, input) => putResourcePolicy(deps, ctx, input),
    GetResourcePolicy: (ctx, input) => getResourcePolicy(deps, ctx, input),
    DeleteResourcePolicy: (ctx, input) => deleteResourcePolicy(deps, ctx, input),
    CreateDiscoverer: (ctx, input) => createDiscoverer(deps, ctx, input),
    DescribeDiscoverer: (ctx, input) => describeDiscoverer(deps, ctx, input),
    UpdateDiscoverer: (ctx, input) => updateDiscoverer(deps, ctx, input),
    DeleteDiscoverer: (ctx, input) => deleteDiscoverer(deps, ctx, input),
    ListDiscoverers: (ctx, input) => listDiscoverers(deps, ctx, input),
    StartDiscoverer: (ctx, input) => startDiscoverer(deps, ctx, input),
    StopDiscoverer: (ctx, input) => stopDiscoverer(deps, ctx, input),
  };
  return {
    name: 'schemas',
    handlers,
    // Flush what discovery queued before the stores close.
    close: async () => {
      unsubscribe();
      await discovery.close();
    },
  };
}
