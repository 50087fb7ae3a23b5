/**
 * A small JSON-schema subset for dashboard bodies. CloudWatch validates bodies with ajv (v6) and
 * answers with its messages, capitalised ("Should have required property 'region'"), at JSON-pointer
 * data paths ("/widgets/0/properties"). Reproducing those messages keeps client tooling that greps
 * them (CDK, Terraform users, CI scripts) working. Unknown properties are accepted: AWS only warns.
 */

export interface ValidationMessage {
  dataPath: string;
  message: string;
}

type Check = (value: unknown, path: string, out: ValidationMessage[]) => void;

export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp }
  | { type: 'number' | 'integer'; minimum?: number; maximum?: number }
  | { type: 'boolean' }
  | { type: 'array'; items?: Schema; minItems?: number; maxItems?: number }
  | { type: 'object'; properties?: Record<string, Schema>; required?: readonly string[]; check?: Check }
  | { type: 'any'; check?: Check };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const msg = {
  required: (p: string) => `Should have required property '${p}'`,
  type: (t: string) => `Should be ${t}`,
  enum: 'Should be equal to one of the allowed values',
  minimum: (n: number) => `Should be >= ${n}`,
  maximum: (n: number) => `Should be <= ${n}`,
  minItems: (n: number) => `Should NOT have fewer than ${n} items`,
  maxItems: (n: number) => `Should NOT have more than ${n} items`,
  pattern: (re: RegExp) => `Should match pattern "${re.source}"`,
  dependency: (p: string, dep: string) => `Should have property ${p} when property ${dep} is present`,
};

/** JSON-pointer escaping for property names in data paths (RFC 6901). */
export const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function typeMatches(type: Schema['type'], v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
    case 'any': return true;
  }
}

/** Appends every violation of `schema` by `value` (at `path`) to `out`, in ajv's keyword order. */
export function validate(schema: Schema, value: unknown, path: string, out: ValidationMessage[]): void {
  if (!typeMatches(schema.type, value)) {
    out.push({ dataPath: path, message: msg.type(schema.type) });
    return;
  }
  switch (schema.type) {
    case 'string': {
      const s = value as string;
      if (schema.enum && !schema.enum.includes(s)) out.push({ dataPath: path, message: msg.enum });
      if (schema.pattern && !schema.pattern.test(s)) out.push({ dataPath: path, message: msg.pattern(schema.pattern) });
      return;
    }
    case 'number':
    case 'integer': {
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum) out.push({ dataPath: path, message: msg.minimum(schema.minimum) });
      if (schema.maximum !== undefined && n > schema.maximum) out.push({ dataPath: path, message: msg.maximum(schema.maximum) });
      return;
    }
    case 'boolean':
      return;
    case 'array': {
      const a = value as unknown[];
      if (schema.minItems !== undefined && a.length < schema.minItems) out.push({ dataPath: path, message: msg.minItems(schema.minItems) });
      if (schema.maxItems !== undefined && a.length > schema.maxItems) out.push({ dataPath: path, message: msg.maxItems(schema.maxItems) });
      if (schema.items) a.forEach((item, i) => validate(schema.items!, item, pointer(path, i), out));
      return;
    }
    case 'object': {
      const o = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in o)) out.push({ dataPath: path, message: msg.required(r) });
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if (k in o) validate(s, o[k], pointer(path, k), out);
      }
      schema.check?.(o, path, out);
      return;
    }
    case 'any':
      schema.check?.(value, path, out);
      return;
  }
}

// Shorthands keep the widget schemas readable as tables.
export const str = (enumValues?: readonly string[]): Schema => ({ type: 'string', enum: enumValues });
export const int = (minimum?: number, maximum?: number): Schema => ({ type: 'integer', minimum, maximum });
export const num: Schema = { type: 'number' };
export const bool: Schema = { type: 'boolean' };
export const arrayOf = (items: Schema, minItems?: number, maxItems?: number): Schema => ({ type: 'array', items, minItems, maxItems });
export const obj = (properties: Record<string, Schema>, required: readonly string[] = [], check?: Check): Schema =>
  ({ type: 'object', properties, required, check });
