/** JSON patterns (`{ $.a = "x" && ($.b > 5 || $.c IS NULL) }`) and property selectors (`$.a[0].b`). */
import type { JsonCondition, JsonExpr, JsonPattern, JsonSelector, PathStep } from './ast.ts';
import { invalidPattern, isPropChar } from './parse-common.ts';
import { Cursor, checkLogical, parseOp, parseValue } from './parse-cursor.ts';

/**
 * `{ SELECTOR OP VALUE }`, `{ SELECTOR IS NULL|TRUE|FALSE }`, `{ SELECTOR NOT EXISTS }`, combined
 * with `&&`, `||` and parentheses (precedence () > && > ||). Keywords are case-insensitive
 * (undocumented). `IS NOT` and `EXISTS` "currently aren't supported" and are rejected rather than
 * silently never matching.
 */
export function parseJsonPattern(s: string, start: number, end: number): JsonPattern {
  const c = new Cursor(s, start + 1, end - 1);
  c.skipSpace();
  if (c.atEnd()) throw invalidPattern('a JSON filter pattern needs at least one condition', start);
  const expr = parseJsonOr(c);
  c.skipSpace();
  if (!c.atEnd()) throw invalidPattern(`expected '&&', '||' or '}' but found ${c.describeHere()}`, c.i);
  return { kind: 'json', source: s, expr };
}


function parseJsonOr(c: Cursor): JsonExpr {
  const items = [parseJsonAnd(c)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('||')) break;
    c.i += 2;
    items.push(parseJsonAnd(c));
  }
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parseJsonAnd(c: Cursor): JsonExpr {
  const items = [parseJsonPrimary(c)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('&&')) break;
    c.i += 2;
    items.push(parseJsonPrimary(c));
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function parseJsonPrimary(c: Cursor): JsonExpr {
  c.skipSpace();
  if (c.peek() === '(') {
    const open = c.i;
    c.i++;
    const e = parseJsonOr(c);
    c.skipSpace();
    if (c.peek() !== ')') throw invalidPattern(`missing ')' for the '(' at position ${open + 1}; found ${c.describeHere()}`, c.i);
    c.i++;
    return e;
  }
  if (c.peek() !== '$') throw invalidPattern(`expected a property selector starting with '$' or '(' but found ${c.describeHere()}`, c.i);
  return parseJsonCondition(c);
}

function readWord(c: Cursor): string {
  const from = c.i;
  while (!c.atEnd() && /[A-Za-z]/.test(c.s[c.i]!)) c.i++;
  return c.s.slice(from, c.i);
}

function parseJsonCondition(c: Cursor): JsonCondition {
  const pos = c.i;
  const selector = parseSelector(c);
  if (selector.steps.some(isWildcard) && ++c.wildcardCount > MAX_WILDCARDS_PER_PATTERN) {
    throw invalidPattern(`a filter pattern can contain at most ${MAX_WILDCARDS_PER_PATTERN} wildcard selectors ([*] or .*)`, pos);
  }
  c.skipSpace();
  if (/[A-Za-z]/.test(c.peek() ?? '')) {
    const wordAt = c.i;
    const word = readWord(c).toUpperCase();
    if (word === 'IS') {
      c.skipSpace();
      const whatAt = c.i;
      const what = readWord(c).toUpperCase();
      if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') {
        return { kind: 'is', selector, what: what.toLowerCase() as 'null' | 'true' | 'false', pos };
      }
      if (what === 'NOT') throw invalidPattern("'IS NOT' is not supported (AWS: \"The IS NOT and EXISTS operators currently aren't supported\")", wordAt);
      throw invalidPattern(`expected NULL, TRUE or FALSE after IS but found ${what === '' ? c.describeHere() : `'${what}'`}`, whatAt);
    }
    if (word === 'NOT') {
      c.skipSpace();
      const whatAt = c.i;
      if (readWord(c).toUpperCase() === 'EXISTS') return { kind: 'notExists', selector, pos };
      throw invalidPattern('expected EXISTS after NOT', whatAt);
    }
    if (word === 'EXISTS') {
      throw invalidPattern("'EXISTS' is not supported (AWS: \"The IS NOT and EXISTS operators currently aren't supported\"); use NOT EXISTS, or '= *'", wordAt);
    }
    throw invalidPattern(`unexpected '${word}' after ${selector.text}: expected an operator, IS or NOT EXISTS`, wordAt);
  }
  const op = parseOp(c);
  c.skipSpace();
  const value = parseValue(c, op, ')&|');
  return { kind: 'compare', selector, op, value, pos };
}

/** "You can only use up to one wildcard selector in a property selector". */
export const MAX_WILDCARDS_PER_SELECTOR = 1;
/** "… and up to three wildcard selectors in a filter pattern with compound expressions". */
export const MAX_WILDCARDS_PER_PATTERN = 3;

/**
 * `$.a`, `$.a-b_c`, `$.users[0].id`, `$.coordinates[0][1]`, `$.arrayKey[*]`, `$.*`,
 * `$.['cluster.name']`. "Array elements are denoted with [NUMBER] syntax, and must follow a
 * property". "You can use the JSON wildcard to select any array element or any JSON object field":
 * `[*]` is any element of an array, `.*` any field of an object (one level, not nested ones).
 * "If the JSON property contains a period, then the bracket notation may be used": the doc writes
 * `$.['cluster.name']`; undocumented: `$['a.b']`, `$.a['b.c']`, double quotes, and `\'` `\"` `\\`
 * escapes inside the quotes are accepted too.
 */
function parseSelector(cur: Cursor): JsonSelector {
  const start = cur.i;
  if (cur.peek() !== '$') throw invalidPattern("a property selector starts with '$'", start);
  cur.i++;
  const steps: PathStep[] = [];
  for (;;) {
    const ch = cur.peek();
    if (ch === '.' && cur.peek(1) === '[') {
      cur.i++;
      if (!isQuote(cur.peek(1))) throw invalidPattern(`expected a quoted property name after '.[', as in $.['a.b']`, cur.i + 1);
      steps.push(parseBracketName(cur));
    } else if (ch === '.') {
      cur.i++;
      steps.push(parseDotStep(cur));
    } else if (ch === '[' && isQuote(cur.peek(1))) {
      steps.push(parseBracketName(cur));
    } else if (ch === '[') {
      if (steps.length === 0) throw invalidPattern('an array index must follow a property, as in $.items[0]', cur.i);
      steps.push(parseIndex(cur));
    } else {
      break;
    }
  }
  if (steps.length === 0) throw invalidPattern("expected '.property' after '$'", cur.i);
  if (steps.filter(isWildcard).length > MAX_WILDCARDS_PER_SELECTOR) {
    throw invalidPattern(`a property selector can contain at most ${MAX_WILDCARDS_PER_SELECTOR} wildcard selector ([*] or .*)`, start);
  }
  return { text: cur.s.slice(start, cur.i), steps };
}

export const isWildcard = (s: PathStep): boolean => s.kind === 'anyIndex' || s.kind === 'anyProp';
const isQuote = (ch: string | undefined): boolean => ch === "'" || ch === '"';

/** After '.': a property name (letters, digits, '-', '_') or `*`. */
function parseDotStep(cur: Cursor): PathStep {
  if (cur.peek() === '*') {
    cur.i++;
    return { kind: 'anyProp' };
  }
  const from = cur.i;
  while (!cur.atEnd() && isPropChar(cur.s.charCodeAt(cur.i))) cur.i++;
  if (cur.i === from) {
    throw invalidPattern(`expected a property name (letters, digits, '-', '_') or '*' after '.' but found ${cur.describeHere()}`, cur.i);
  }
  return { kind: 'prop', name: cur.s.slice(from, cur.i) };
}

/** `[0]` or `[*]`. */
function parseIndex(cur: Cursor): PathStep {
  const open = cur.i;
  cur.i++;
  let step: PathStep;
  if (cur.peek() === '*') {
    cur.i++;
    step = { kind: 'anyIndex' };
  } else {
    const from = cur.i;
    while (!cur.atEnd() && /[0-9]/.test(cur.s[cur.i]!)) cur.i++;
    const digits = cur.s.slice(from, cur.i);
    if (digits === '' || digits.length > 9) throw invalidPattern('expected an array index (a non-negative integer), * or a quoted property name', from);
    step = { kind: 'index', index: Number(digits) };
  }
  if (cur.peek() !== ']') throw invalidPattern(`missing ']' for the '[' at position ${open + 1}`, cur.i);
  cur.i++;
  return step;
}

/** `['name']` or `["name"]`: a property with any name (dots, spaces, brackets…). */
function parseBracketName(cur: Cursor): PathStep {
  const open = cur.i;
  const quote = cur.s[cur.i + 1]!;
  let name = '';
  let j = cur.i + 2;
  for (;;) {
    if (j >= cur.end) throw invalidPattern(`unterminated property name: missing closing ${quote}`, open + 1);
    const ch = cur.s[j]!;
    if (ch === quote) break;
    if (ch === '\\' && j + 1 < cur.end && (cur.s[j + 1] === quote || cur.s[j + 1] === '\\')) {
      name += cur.s[j + 1];
      j += 2;
      continue;
    }
    name += ch;
    j++;
  }
  cur.i = j + 1;
  if (cur.peek() !== ']') throw invalidPattern(`missing ']' for the '[' at position ${open + 1}`, cur.i);
  cur.i++;
  return { kind: 'prop', name };
}

/** A whole string as a property selector (`$.latency`), e.g. a metric filter's metricValue; throws like parseFilterPattern. */
export function parseSelectorText(text: string): JsonSelector {
  const cur = new Cursor(text, 0, text.length);
  const sel = parseSelector(cur);
  if (!cur.atEnd()) throw invalidPattern(`unexpected ${cur.describeHere()} in property selector`, cur.i);
  return sel;
}
