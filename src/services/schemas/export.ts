/**
 * ExportSchema: an OpenApi3 schema as a JSON Schema draft 4 document. The root is the event
 * (`AWSEvent`, else the component named like the document's title, else the first component); the
 * other components become `definitions`, `$ref`s follow, and OpenAPI-only keywords are dropped
 * (`nullable` becomes a `null` member of `type`). As on AWS, only discovered and AWS-managed schemas
 * can be exported.
 */
import type { Ctx } from '../../protocol/service.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import { isObject } from './content.ts';
import type { SchemasDeps } from './deps.ts';
import { AWS_EVENTS_REGISTRY, DISCOVERED_REGISTRY, badRequest, forbidden, schemaArn } from './names.ts';
import { requireSchema, requireVersion } from './schemas.ts';

type Json = Record<string, unknown>;

const DRAFT4 = 'http://json-schema.org/draft-04/schema#';
const OPENAPI_ONLY = new Set(['nullable', 'discriminator', 'readOnly', 'writeOnly', 'xml', 'externalDocs', 'example', 'deprecated']);
const COMPONENT_REF = '#/components/schemas/';

export function openApiToDraft4(doc: Json): Json {
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const names = Object.keys(components);
  const title = isObject(doc.info) && typeof doc.info.title === 'string' ? doc.info.title : undefined;
  const root = names.includes('AWSEvent') ? 'AWSEvent' : title && names.includes(title) ? title : names[0];
  const out: Json = { $schema: DRAFT4, title: root ?? title ?? 'Event' };
  const definitions: Json = {};
  for (const n of names) if (n !== root) definitions[n] = convert(components[n], root);
  if (Object.keys(definitions).length) out.definitions = definitions;
  if (root !== undefined) Object.assign(out, convert(components[root], root));
  return out;
}

function convert(node: unknown, root: string | undefined): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, root));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (OPENAPI_ONLY.has(k)) continue;
    if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_REF)) {
      const target = v.slice(COMPONENT_REF.length);
      out.$ref = target === root ? '#' : `#/definitions/${target}`;
    } else {
      out[k] = convert(v, root);
    }
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

export async function exportSchema(deps: SchemasDeps, ctx: Ctx, input: CallInput<'schemas', 'ExportSchema'>): Promise<CallOutput<'schemas', 'ExportSchema'>> {
  if (input.Type !== 'JSONSchemaDraft4') {
    throw badRequest(`Invalid Type '${input.Type}': schemas can only be exported as JSONSchemaDraft4.`);
  }
  const schema = await requireSchema(deps, ctx, input.RegistryName!, input.SchemaName!);
  if (schema.registry !== DISCOVERED_REGISTRY && schema.registry !== AWS_EVENTS_REGISTRY) {
    throw forbidden('You cannot export non discovered or non aws managed schemas.');
  }
  const v = await requireVersion(deps, ctx, schema, input.SchemaVersion);
  const content = v.type === 'JSONSchemaDraft4' ? v.content : JSON.stringify(openApiToDraft4(JSON.parse(v.content) as Json));
  return { Content: content, SchemaArn: schemaArn(ctx, schema.registry, schema.name), SchemaName: schema.name, SchemaVersion: String(v.version), Type: 'JSONSchemaDraft4' };
}
