/**
 * Reading one match expression (`{"prefix": …}`, `{"numeric": […]}`, …) from the token stream,
 * with event-ruler's checks in its order and AWS's messages.
 */
import { parseCidr, ipBytes, looksLikeIp } from './cidr.ts';
import { invalid } from './errors.ts';
import type { JsonLexer, Tok } from './json-lexer.ts';
import type { Matcher } from './matchers.ts';
import { comparableValue } from './numbers.ts';
import { parseWildcard } from './wildcard.ts';

const ONE_KEY = 'Only one key allowed in match expression';

/** An exact value from a pattern list: strings that are IP addresses also match other spellings of the address. */
export function exactString(value: string): Matcher {
  const ip = looksLikeIp(value) ? ipBytes(value) : undefined;
  return ip ? { kind: 'string', value, ip } : { kind: 'string', value };
}

export function exactNumber(text: string): Matcher {
  return { kind: 'number', text, value: comparableValue(text) };
}

function endObject(lx: JsonLexer, message = ONE_KEY): void {
  if (lx.next() !== 'endObject') invalid(message);
}

function stringOperand(lx: JsonLexer, message: string): string {
  if (lx.next() !== 'string') invalid(message);
  return lx.text;
}

/** Called just after the `{` of a match expression. */
export function readMatchExpression(lx: JsonLexer): Matcher {
  if (lx.next() !== 'field') invalid('Match expression name not found');
  const op = lx.text;
  switch (op) {
    case 'exactly': {
      const m = exactString(stringOperand(lx, 'exact match pattern must be a string'));
      endObject(lx);
      return m;
    }
    case 'prefix':
    case 'suffix':
      return readAffix(lx, op);
    case 'equals-ignore-case': {
      const value = stringOperand(lx, 'equals-ignore-case match pattern must be a string').toLowerCase();
      endObject(lx);
      return { kind: 'equals-ignore-case', value };
    }
    case 'wildcard': {
      const value = parseWildcard(stringOperand(lx, 'wildcard match pattern must be a string'));
      endObject(lx);
      return { kind: 'wildcard', value };
    }
    case 'cidr': {
      // event-ruler reuses the prefix wording for a non-string cidr; AWS echoes it.
      const range = parseCidr(stringOperand(lx, 'prefix match pattern must be a string'));
      endObject(lx);
      return { kind: 'cidr', range };
    }
    case 'exists': {
      const t = lx.next();
      if (t !== 'true' && t !== 'false') invalid('exists match pattern must be either true or false.');
      endObject(lx);
      return { kind: 'exists', value: t === 'true' };
    }
    case 'numeric':
      if (lx.next() !== 'startArray') invalid('Value of numeric must be an array.');
      return withEnd(lx, readNumeric(lx));
    case 'anything-but':
      return readAnythingBut(lx);
    default:
      return invalid(`Unrecognized match type ${op}`);
  }
}

function withEnd(lx: JsonLexer, m: Matcher): Matcher {
  endObject(lx, 'Too many elements in numeric expression');
  return m;
}

/** `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}`. */
function readAffix(lx: JsonLexer, op: 'prefix' | 'suffix'): Matcher {
  const t = lx.next();
  if (t === 'startObject') {
    const name = op === 'prefix' ? 'Prefix' : 'Suffix';
    if (lx.next() !== 'field') invalid(`${name} expression name not found`);
    if (lx.text !== 'equals-ignore-case') invalid(`Unsupported ${op} pattern: ${lx.text}`);
    const value = stringOperand(lx, 'equals-ignore-case match pattern must be a string').toLowerCase();
    endObject(lx);
    endObject(lx);
    return { kind: op, value, ignoreCase: true };
  }
  if (t !== 'string') invalid(`${op} match pattern must be a string`);
  const value = lx.text;
  endObject(lx);
  return { kind: op, value, ignoreCase: false };
}

function numericValue(lx: JsonLexer, t: Tok, what: string): number {
  if (t !== 'number') invalid(`Value of ${what} must be numeric`);
  const n = comparableValue(lx.text);
  if (n === undefined) invalid(`Cannot compare number : ${lx.text}`);
  return n;
}

/** Called after the `[` of `numeric`: `= n`, `< n`, `<= n`, or a lower bound optionally followed by an upper one. */
function readNumeric(lx: JsonLexer): Matcher {
  if (lx.next() !== 'string') invalid(`Invalid member in numeric match: ${lx.text}`);
  const op = lx.text;
  if (!['=', '<', '<=', '>', '>='].includes(op)) invalid(`Unrecognized numeric range operator: ${op}`);
  const n = numericValue(lx, lx.next(), op === '=' ? 'equals' : op);
  if (op === '=' || op === '<' || op === '<=') {
    if (lx.next() !== 'endArray') invalid('Too many elements in numeric expression');
    if (op === '=') return { kind: 'numeric', lo: n, loOpen: false, hi: n, hiOpen: false };
    return { kind: 'numeric', lo: -Number.MAX_VALUE, loOpen: false, hi: n, hiOpen: op === '<' };
  }
  const loOpen = op === '>';
  let t = lx.next();
  if (t === 'endArray') return { kind: 'numeric', lo: n, loOpen, hi: Number.MAX_VALUE, hiOpen: false };
  if (t !== 'string') invalid(`Bad value in numeric range: ${lx.text}`);
  const topOp = lx.text;
  if (topOp !== '<' && topOp !== '<=') invalid(`Bad numeric range operator: ${topOp}`);
  t = lx.next();
  if (t !== 'number') invalid(`Value of ${topOp} must be numeric`);
  const hi = numericValue(lx, t, topOp);
  if (lx.next() !== 'endArray') invalid('Too many terms in numeric range expression');
  if (!(n < hi)) invalid('Bottom must be less than top');
  return { kind: 'numeric', lo: n, loOpen, hi, hiOpen: topOp === '<' };
}

type SetKind = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

/** `anything-but`: a value, a list of strings or of numbers, or `{prefix|suffix|equals-ignore-case|wildcard: one or a list}`. */
function readAnythingBut(lx: JsonLexer): Matcher {
  let t = lx.next();
  let set: SetKind | undefined;
  if (t === 'startObject') {
    if (lx.next() !== 'field') invalid('Anything-But expression name not found');
    const name = lx.text;
    if (name !== 'equals-ignore-case' && name !== 'prefix' && name !== 'suffix' && name !== 'wildcard') invalid(`Unsupported anything-but pattern: ${name}`);
    set = name;
    t = lx.next();
  }
  if (t !== 'startArray' && t !== 'string' && t !== 'number') invalid('Value of anything-but must be an array or single string/number value.');
  const m = set === undefined ? readExclusions(lx, t) : readSetExclusions(lx, t, set);
  endObject(lx, 'Too many elements in numeric expression');
  if (set !== undefined) endObject(lx, 'Too many elements in numeric expression');
  return m;
}

function readExclusions(lx: JsonLexer, first: Tok): Matcher {
  const strings = new Set<string>();
  const numbers: number[] = [];
  const add = (t: Tok, message: string): void => {
    if (t === 'string') strings.add(lx.text);
    else if (t === 'number') {
      const n = comparableValue(lx.text);
      if (n === undefined) invalid(`Cannot compare number : ${lx.text}`);
      numbers.push(n);
    } else invalid(message);
  };
  if (first !== 'startArray') {
    add(first, 'Inside anything-but list, start|null|boolean is not supported.');
    return { kind: 'anything-but', strings, numbers };
  }
  for (let t = lx.next(); t !== 'endArray'; t = lx.next()) add(t, 'Inside anything but list, start|null|boolean is not supported.');
  if ((strings.size > 0) === (numbers.length > 0)) invalid('Inside anything but list, either all values are number or string, mixed type is not supported');
  return { kind: 'anything-but', strings, numbers };
}

function readSetExclusions(lx: JsonLexer, first: Tok, set: SetKind): Matcher {
  const values: string[] = [];
  const add = (t: Tok): void => {
    if (t !== 'string') {
      if (set === 'equals-ignore-case') invalid('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      invalid(set === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string');
    }
    if ((set === 'prefix' || set === 'suffix') && lx.text === '') invalid('Null prefix/suffix not allowed');
    values.push(lx.text);
  };
  if (first === 'startArray') for (let t = lx.next(); t !== 'endArray'; t = lx.next()) add(t);
  else add(first);
  switch (set) {
    case 'equals-ignore-case':
      return { kind: 'anything-but-equals-ignore-case', values: values.map((v) => v.toLowerCase()) };
    case 'wildcard':
      return { kind: 'anything-but-wildcard', values: values.map(parseWildcard) };
    default:
      return { kind: set === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', values };
  }
}
