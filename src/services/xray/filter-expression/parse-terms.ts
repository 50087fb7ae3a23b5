/**
 * The terms of a filter expression: simple keywords with their comparisons, `annotation.key`,
 * `service()`, `edge()`, `id()`, `group.name` / `group.arn` and `rootcause.<kind>.<level> { … }`.
 */
import type { CompareOp, FilterNode, Literal, NodeSelector, RootCauseKind, RootCauseLevel, Scope } from './ast.ts';
import type { Cursor } from './cursor.ts';
import { KEYWORDS, OPERATORS, SCOPE_WORDS, type KeywordType } from './keywords.ts';
import type { Token } from './lexer.ts';

/** parse.ts's OR-level rule, passed in so the two files do not import each other. */
export type InnerParser = (c: Cursor, scope: Scope) => FilterNode;

const WORD_OPS: ReadonlyMap<string, CompareOp> = new Map([['contains', 'CONTAINS'], ['beginswith', 'BEGINSWITH'], ['endswith', 'ENDSWITH']]);
const SELECTOR_FIELDS: ReadonlyMap<string, keyof NodeSelector> = new Map([['name', 'name'], ['type', 'type'], ['account.id', 'accountId']]);
const SYMBOL_OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const ROOT_CAUSE_KINDS = new Set<RootCauseKind>(['fault', 'error', 'responsetime']);
const ROOT_CAUSE_LEVELS = new Set<RootCauseLevel>(['service', 'entity', 'exception']);

export function parseTerm(c: Cursor, scope: Scope, inner: InnerParser): FilterNode {
  const t = c.peek();
  if (t.kind !== 'word') throw c.error('expected a keyword, service(), edge() or annotation.<key>');
  if (t.lower.endsWith('.')) throw c.error(`expected a name after '${t.text}'`);
  if (t.lower === 'service' || t.lower === 'edge') return parseNode(c, scope, inner);
  if (t.lower.startsWith('annotation.')) return parseAnnotation(c, scope);
  if (t.lower === 'group.name' || t.lower === 'group.arn') return parseGroup(c, scope);
  if (t.lower.startsWith('rootcause.')) return parseRootCause(c, scope, inner);
  const spec = KEYWORDS.get(t.lower);
  if (!spec) throw c.error('unknown keyword');
  if (!spec.scopes.includes(scope)) {
    throw c.error(`'${t.text}' can only be used ${spec.scopes.map((s) => SCOPE_WORDS[s]).join(' or ')}`);
  }
  c.next();
  const comparison = parseComparison(c, spec.type, t);
  return { kind: 'keyword', keyword: t.lower, ...comparison };
}

/** An optional `op value` after a keyword; absent, the keyword is a boolean or "is set" test. */
function parseComparison(c: Cursor, type: KeywordType | 'any', keyword: Token): { op?: CompareOp; value?: Literal } {
  const op = peekOp(c);
  if (!op) return {};
  if (type !== 'any' && !OPERATORS[type].includes(op)) {
    throw c.error(`'${keyword.text}' is a ${type} keyword; it takes ${OPERATORS[type].join(', ')}`);
  }
  c.next();
  const value = parseValue(c, type, keyword);
  if (type === 'any' && value.kind !== 'string' && !OPERATORS[value.kind].includes(op)) {
    throw c.error(`${op} compares strings; a ${value.kind} annotation value takes ${OPERATORS[value.kind].join(', ')}`, keyword);
  }
  return { op, value };
}

function peekOp(c: Cursor): CompareOp | undefined {
  const t = c.peek();
  if (t.kind === 'op' && SYMBOL_OPS.has(t.text)) return t.text as CompareOp;
  if (t.kind === 'word') return WORD_OPS.get(t.lower);
  return undefined;
}

function parseValue(c: Cursor, type: KeywordType | 'any', keyword: Token): Literal {
  const t = c.peek();
  const bool = t.kind === 'word' || t.kind === 'string' ? booleanWord(t.kind === 'word' ? t.lower : t.value) : undefined;
  if (type === 'boolean') {
    if (bool === undefined) throw c.error(`'${keyword.text}' is compared with true or false`);
    c.next();
    return { kind: 'boolean', value: bool };
  }
  if (type === 'number' || (type === 'any' && t.kind === 'number')) {
    if (t.kind !== 'number') throw c.error(`'${keyword.text}' is compared with a number`);
    c.next();
    return { kind: 'number', value: t.value };
  }
  if (type === 'any' && t.kind === 'word' && bool !== undefined) {
    c.next();
    return { kind: 'boolean', value: bool };
  }
  if (t.kind === 'string') {
    c.next();
    return { kind: 'string', value: t.value };
  }
  // The guide quotes every string value but one of its own examples does not (`name = traces`).
  if (t.kind === 'word' && !['and', 'or', 'not'].includes(t.lower)) {
    c.next();
    return { kind: 'string', value: t.text };
  }
  throw c.error(`expected a quoted string value for '${keyword.text}'`);
}

function booleanWord(s: string): boolean | undefined {
  const lower = s.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function parseAnnotation(c: Cursor, scope: Scope): FilterNode {
  const t = c.next() as Extract<Token, { kind: 'word' }>;
  if (scope !== 'trace') throw c.error(`annotation.<key> cannot be used ${SCOPE_WORDS[scope]}`, t);
  const key = t.text.slice('annotation.'.length);
  return { kind: 'annotation', key, ...parseComparison(c, 'any', t) };
}

function parseGroup(c: Cursor, scope: Scope): FilterNode {
  const t = c.next() as Extract<Token, { kind: 'word' }>;
  if (scope !== 'trace') throw c.error(`'${t.text}' cannot be used ${SCOPE_WORDS[scope]}`, t);
  const op = peekOp(c);
  if (op !== '=' && op !== '!=') throw c.error(`'${t.text}' is compared with = or != and a quoted group ${t.lower === 'group.arn' ? 'ARN' : 'name'}`);
  c.next();
  const value = c.peek();
  if (value.kind !== 'string') throw c.error(`expected a quoted group ${t.lower === 'group.arn' ? 'ARN' : 'name'}`);
  c.next();
  return { kind: 'group', by: t.lower === 'group.arn' ? 'arn' : 'name', op, value: value.value };
}

function parseRootCause(c: Cursor, scope: Scope, inner: InnerParser): FilterNode {
  const t = c.next() as Extract<Token, { kind: 'word' }>;
  if (scope !== 'trace') throw c.error(`'${t.text}' cannot be used ${SCOPE_WORDS[scope]}`, t);
  const [, kind, level, ...rest] = t.lower.split('.');
  if (kind === 'json') throw c.error('rootcause.json filters are not supported by this X-Ray implementation; use rootcause.<fault|error|responsetime>.<service|entity|exception> { … }', t);
  if (!ROOT_CAUSE_KINDS.has(kind as RootCauseKind) || !ROOT_CAUSE_LEVELS.has(level as RootCauseLevel) || rest.length) {
    throw c.error('expected rootcause.<fault|error|responsetime>.<service|entity|exception>', t);
  }
  const filter = parseBraces(c, 'rootcause', inner)!;
  return { kind: 'rootcause', cause: kind as RootCauseKind, level: level as RootCauseLevel, filter };
}

function parseNode(c: Cursor, scope: Scope, inner: InnerParser): FilterNode {
  const t = c.next() as Extract<Token, { kind: 'word' }>;
  if (scope !== 'trace') throw c.error(`${t.lower}() cannot be used ${SCOPE_WORDS[scope]}`, t);
  c.expectOp('(', `after ${t.lower}`);
  if (t.lower === 'service') {
    const node = c.isOp(')') ? {} : parseSelector(c);
    c.expectOp(')', 'to close service(');
    return { kind: 'service', node, ...optionalFilter(c, 'service', inner) };
  }
  const source = parseSelector(c);
  c.expectOp(',', 'between the two services of edge(source, destination)');
  const destination = parseSelector(c);
  c.expectOp(')', 'to close edge(');
  return { kind: 'edge', source, destination, ...optionalFilter(c, 'edge', inner) };
}

function optionalFilter(c: Cursor, scope: Scope, inner: InnerParser): { filter?: FilterNode } {
  const filter = parseBraces(c, scope, inner);
  return filter ? { filter } : {};
}

function parseBraces(c: Cursor, scope: Scope, inner: InnerParser): FilterNode | undefined {
  if (!c.isOp('{')) {
    if (scope === 'rootcause') throw c.error("expected '{' and a filter for the root cause");
    return undefined;
  }
  c.next();
  const node = inner(c, scope);
  c.expectOp('}', 'to close the filter opened with {');
  return node;
}

/** `"name"` or `id(name: "…", type: "…", account.id: "…")`. */
function parseSelector(c: Cursor): NodeSelector {
  const t = c.peek();
  if (t.kind === 'string') {
    c.next();
    return { name: t.value };
  }
  if (!c.isWord('id')) throw c.error('expected a quoted service name or id(name: …, type: …)');
  c.next();
  c.expectOp('(', 'after id');
  const selector: NodeSelector = {};
  do {
    const key = c.peek();
    const field = key.kind === 'word' ? SELECTOR_FIELDS.get(key.lower) : undefined;
    if (!field) throw c.error('expected name:, type: or account.id: inside id()');
    c.next();
    c.expectOp(':', `after ${key.text}`);
    const value = c.peek();
    if (value.kind !== 'string') throw c.error(`expected a quoted value for ${key.text}`);
    c.next();
    selector[field] = value.value;
  } while (c.isOp(',') && c.next());
  c.expectOp(')', 'to close id(');
  return selector;
}
