/**
 * The pattern compiler: reads pattern text once into a tree of nodes keyed by path segment.
 * Dotted keys are split into segments, so {"a.b": …} and {"a": {"b": …}} compile alike (AWS joins
 * paths with dots). `$or` stays a local disjunction instead of being multiplied out, which keeps
 * matching linear; the number of rules it would expand to is still counted for AWS's limit.
 */
import { invalid } from './errors.ts';
import { JsonLexer, JsonSyntaxError } from './json-lexer.ts';
import type { Matcher } from './matchers.ts';
import { exactNumber, exactString, readMatchExpression } from './operators.ts';
import { checkWildcardComplexity, type Wildcard } from './wildcard.ts';

export interface PatternNode {
  children: Map<string, PatternNode> | undefined;
  /** The value alternatives when this path is a pattern field (the last duplicate key wins). */
  field: Matcher[] | undefined;
  /** `$or` groups at this level: every group needs one alternative to match. */
  ors: PatternNode[][] | undefined;
  /** `children` as parallel arrays, filled once compiled, so matching iterates without allocating. */
  segs?: string[];
  nodes?: PatternNode[];
}

/** AWS: "the total number of combinations" an `$or` pattern expands to may not exceed 1000. */
export const MAX_OR_COMBINATIONS = 1000;

/** event-ruler refuses these as field names inside `$or` (they would read as operators). */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after', 'date-on-or-after',
  'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range',
]);

export const newNode = (): PatternNode => ({ children: undefined, field: undefined, ors: undefined });

export function compilePatternTree(text: string): PatternNode {
  const lx = new JsonLexer(text);
  const root = newNode();
  try {
    if (lx.next() !== 'startObject') invalid('Filter is not an object');
    readObject(lx, root, false);
  } catch (e) {
    if (e instanceof JsonSyntaxError) invalid(e.message);
    throw e;
  }
  if (combinations(root) > MAX_OR_COMBINATIONS) {
    invalid(`The total number of combinations in the event pattern exceeds the limit of ${MAX_OR_COMBINATIONS}`);
  }
  checkComplexity(root);
  freeze(root);
  return root;
}

function freeze(node: PatternNode): void {
  if (node.children) {
    node.segs = [...node.children.keys()];
    node.nodes = [...node.children.values()];
    for (const c of node.nodes) freeze(c);
  }
  for (const group of node.ors ?? []) for (const alt of group) freeze(alt);
}

function child(node: PatternNode, key: string): PatternNode {
  let n = node;
  for (const seg of key.split('.')) {
    n.children ??= new Map();
    let next = n.children.get(seg);
    if (!next) {
      next = newNode();
      n.children.set(seg, next);
    }
    n = next;
  }
  return n;
}

/** Called after a `{`; reads fields up to the matching `}`. */
function readObject(lx: JsonLexer, node: PatternNode, inOr: boolean): void {
  let fields = 0;
  for (let t = lx.next(); t !== 'endObject'; t = lx.next()) {
    fields++;
    const name = lx.text;
    if (name === '$or') {
      readOr(lx, node);
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(name)) invalid(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    const v = lx.next();
    if (v === 'startObject') readObject(lx, child(node, name), inOr);
    else if (v === 'startArray') child(node, name).field = readValues(lx);
    else invalid(`"${name}" must be an object or an array`);
  }
  if (fields === 0) invalid('Empty objects are not allowed');
}

function readOr(lx: JsonLexer, node: PatternNode): void {
  if (lx.next() !== 'startArray') invalid('It must be an Array followed with $or.');
  const alternatives: PatternNode[] = [];
  for (let t = lx.next(); t !== 'endArray'; t = lx.next()) {
    if (t !== 'startObject') invalid('Only JSON object is allowed in array of $or relationship.');
    const alt = newNode();
    readObject(lx, alt, true);
    alternatives.push(alt);
  }
  if (alternatives.length < 2) invalid('There must have at least 2 Objects in $or relationship.');
  (node.ors ??= []).push(alternatives);
}

/** Called after the `[` of a field's value list. */
function readValues(lx: JsonLexer): Matcher[] {
  const out: Matcher[] = [];
  for (let t = lx.next(); t !== 'endArray'; t = lx.next()) {
    if (t === 'startObject') out.push(readMatchExpression(lx));
    else if (t === 'string') out.push(exactString(lx.text));
    else if (t === 'number') out.push(exactNumber(lx.text));
    else if (t === 'true' || t === 'false' || t === 'null') out.push({ kind: 'literal', value: t === 'null' ? null : t === 'true' });
    else invalid('Match value must be String, number, true, false, or null');
  }
  if (out.length === 0) invalid('Empty arrays are not allowed');
  return out;
}

/** How many plain rules the pattern would expand to (each `$or` branch is one), capped to stay finite. */
function combinations(node: PatternNode): number {
  let n = 1;
  for (const c of node.children?.values() ?? []) n = Math.min(n * combinations(c), Number.MAX_SAFE_INTEGER);
  for (const group of node.ors ?? []) {
    let sum = 0;
    for (const alt of group) sum += combinations(alt);
    n = Math.min(n * sum, Number.MAX_SAFE_INTEGER);
  }
  return n;
}

/** Wildcard complexity is judged per field over every wildcard the pattern puts on that path. */
function checkComplexity(root: PatternNode): void {
  const byPath = new Map<string, Wildcard[]>();
  const walk = (node: PatternNode, path: string): void => {
    for (const m of node.field ?? []) {
      const list = byPath.get(path) ?? [];
      if (m.kind === 'wildcard') list.push(m.value);
      else if (m.kind === 'anything-but-wildcard') list.push(...m.values);
      if (list.length > 0) byPath.set(path, list);
    }
    for (const [seg, c] of node.children ?? []) walk(c, `${path}.${seg}`);
    for (const group of node.ors ?? []) for (const alt of group) walk(alt, path);
  };
  walk(root, '');
  for (const list of byPath.values()) checkWildcardComplexity(list);
}

