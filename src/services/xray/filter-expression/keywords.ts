/**
 * The simple keywords of the filter-expression language, their value types, and the scopes they
 * may appear in. "Boolean keywords", "Number keywords", "String keywords" of the X-Ray guide:
 * `first`, `last`, `remote`, `index`, `coverage`, `message` describe a root-cause entry and only
 * make sense inside `rootcause.*.* { … }`; `root` and `inferred` describe a service node.
 */
import type { Scope } from './ast.ts';

export type KeywordType = 'boolean' | 'number' | 'string';

export interface KeywordSpec {
  type: KeywordType;
  scopes: readonly Scope[];
}

const SEGMENT: readonly Scope[] = ['trace', 'service', 'edge'];
const NODE: readonly Scope[] = ['service', 'edge', 'rootcause'];
const ALL: readonly Scope[] = ['trace', 'service', 'edge', 'rootcause'];
const CAUSE: readonly Scope[] = ['rootcause'];

const KEYWORD_TABLE: Readonly<Record<string, KeywordSpec>> = {
  ok: { type: 'boolean', scopes: SEGMENT },
  error: { type: 'boolean', scopes: SEGMENT },
  throttle: { type: 'boolean', scopes: SEGMENT },
  fault: { type: 'boolean', scopes: SEGMENT },
  partial: { type: 'boolean', scopes: SEGMENT },
  inferred: { type: 'boolean', scopes: NODE },
  root: { type: 'boolean', scopes: ['service'] },
  first: { type: 'boolean', scopes: CAUSE },
  last: { type: 'boolean', scopes: CAUSE },
  remote: { type: 'boolean', scopes: CAUSE },
  responsetime: { type: 'number', scopes: SEGMENT },
  duration: { type: 'number', scopes: SEGMENT },
  'http.status': { type: 'number', scopes: SEGMENT },
  index: { type: 'number', scopes: CAUSE },
  coverage: { type: 'number', scopes: CAUSE },
  'http.url': { type: 'string', scopes: SEGMENT },
  'http.method': { type: 'string', scopes: SEGMENT },
  'http.useragent': { type: 'string', scopes: SEGMENT },
  'http.clientip': { type: 'string', scopes: SEGMENT },
  user: { type: 'string', scopes: SEGMENT },
  name: { type: 'string', scopes: NODE },
  type: { type: 'string', scopes: NODE },
  message: { type: 'string', scopes: CAUSE },
  availabilityzone: { type: 'string', scopes: ALL },
  'instance.id': { type: 'string', scopes: ALL },
  'resource.arn': { type: 'string', scopes: ALL },
};

/** A Map, so words like `__proto__` or `constructor` are unknown keywords, not Object's members. */
export const KEYWORDS: ReadonlyMap<string, KeywordSpec> = new Map(Object.entries(KEYWORD_TABLE));

/** The operators each value type takes (bare keywords and `!` are handled by the parser). */
export const OPERATORS: Readonly<Record<KeywordType, readonly string[]>> = {
  boolean: ['=', '!='],
  number: ['=', '!=', '<', '<=', '>', '>='],
  string: ['=', '!=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH'],
};

export const SCOPE_WORDS: Readonly<Record<Scope, string>> = {
  trace: 'at the top level of an expression',
  service: 'inside service() { … }',
  edge: 'inside edge() { … }',
  rootcause: 'inside rootcause.* { … }',
};
