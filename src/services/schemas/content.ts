/**
 * Schema Content checks per Type: valid JSON, and the document shape of an OpenAPI 3 document or a
 * JSON Schema draft 4 schema. Deliberately structural (what a client could rely on), not a full
 * meta-schema validation.
 */
import { badRequest } from './names.ts';

export const SCHEMA_TYPES = ['OpenApi3', 'JSONSchemaDraft4'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

const JSON_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

export function checkType(type: string | undefined): SchemaType {
  if (!SCHEMA_TYPES.includes(type as SchemaType)) {
    throw badRequest(`Invalid Type '${type}': the schema type must be one of ${SCHEMA_TYPES.join(', ')}.`);
  }
  return type as SchemaType;
}

export function checkContent(type: SchemaType, content: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (e) {
    throw badRequest(`Invalid Content: the schema content is not valid JSON (${(e as Error).message}).`);
  }
  if (!isObject(doc)) throw badRequest('Invalid Content: the schema content must be a JSON object.');
  if (type === 'OpenApi3') checkOpenApi(doc);
  else checkJsonSchema(doc, '');
  return doc;
}

function checkOpenApi(doc: Record<string, unknown>): void {
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) {
    throw badRequest("Invalid OpenApi3 Content: the document must have an 'openapi' member with a 3.x.y version, such as \"3.0.0\".");
  }
  const info = doc.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    throw badRequest("Invalid OpenApi3 Content: the document must have an 'info' object with string 'title' and 'version' members.");
  }
  // `paths` is required by the OpenAPI spec but schema-only documents often omit it; accept both.
  if (doc.paths !== undefined && !isObject(doc.paths)) throw badRequest("Invalid OpenApi3 Content: 'paths' must be an object.");
  const components = doc.components;
  if (components === undefined) return;
  if (!isObject(components)) throw badRequest("Invalid OpenApi3 Content: 'components' must be an object.");
  if (components.schemas === undefined) return;
  if (!isObject(components.schemas)) throw badRequest("Invalid OpenApi3 Content: 'components.schemas' must be an object.");
  for (const [name, s] of Object.entries(components.schemas)) checkJsonSchema(s, `components.schemas.${name}`);
}

/** The draft 4 keywords whose value shapes are fixed; other keywords pass through. */
function checkJsonSchema(s: unknown, at: string): void {
  const where = at ? ` at '${at}'` : '';
  if (!isObject(s)) throw badRequest(`Invalid schema${where}: a schema must be a JSON object.`);
  if (s.$schema !== undefined && typeof s.$schema !== 'string') throw badRequest(`Invalid schema${where}: '$schema' must be a string.`);
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  for (const t of types) {
    if (typeof t !== 'string' || !JSON_TYPES.has(t)) throw badRequest(`Invalid schema${where}: '${String(t)}' is not a JSON Schema type.`);
  }
  if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string'))) {
    throw badRequest(`Invalid schema${where}: 'required' must be an array of strings.`);
  }
  for (const key of ['properties', 'definitions', 'patternProperties']) {
    const v = s[key];
    if (v === undefined) continue;
    if (!isObject(v)) throw badRequest(`Invalid schema${where}: '${key}' must be an object.`);
    for (const [name, sub] of Object.entries(v)) checkJsonSchema(sub, `${at ? `${at}.` : ''}${key}.${name}`);
  }
  if (s.items !== undefined && !isObject(s.items) && !Array.isArray(s.items)) throw badRequest(`Invalid schema${where}: 'items' must be a schema or an array of schemas.`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
