/**
 * Parser for the query string of SEARCH(' {Namespace, DimensionName1, …} SearchTerm', 'Statistic').
 *
 *   query   := schema? ','? term?          (at least one of the two; at most 1024 characters)
 *   schema  := '{' name (',' name)* '}'    (name: bare text, or "double quoted" with spaces/symbols)
 *   term    := and ('OR' and)*
 *   and     := not ('AND'? not)*           (terms side by side are ANDed)
 *   not     := 'NOT' not | primary
 *   primary := '(' term ')' | value ('=' value)?   (value '=' value is a designator:
 *              MetricName=, Namespace=, :aws.AccountId= or a dimension name)
 *   value   := "exact text" | partial-text
 *
 * AND, OR and NOT are case-sensitive ("and, or, and not aren't valid as Boolean operators").
 * Inside "…", the characters " \ ( ) are escaped with a backslash.
 */
import { MetricMathError } from '../errors.ts';
import type { MetricSchema, SearchProperty, SearchQuery, SearchTerm } from './ast.ts';

export const MAX_SEARCH_QUERY_LENGTH = 1024;

type Tok =
  | { type: 'word'; value: string; pos: number }
  | { type: 'exact'; value: string; pos: number }
  | { type: '(' | ')' | '=' | 'end'; pos: number };

export function parseSearchQuery(text: string): SearchQuery {
  if (text.length > MAX_SEARCH_QUERY_LENGTH) {
    throw new MetricMathError(`The search query is ${text.length} characters long; the maximum is ${MAX_SEARCH_QUERY_LENGTH}.`);
  }
  let i = skipSpace(text, 0);
  let schema: MetricSchema | undefined;
  if (text[i] === '{') {
    const parsed = parseSchema(text, i);
    schema = parsed.schema;
    i = skipSpace(text, parsed.end);
    if (text[i] === ',') i++;
  }
  const parser = new TermParser(lex(text, i));
  const term = parser.atEnd() ? undefined : parser.term();
  parser.expectEnd();
  if (schema === undefined && term === undefined) {
    throw new MetricMathError('A search query must contain a metric schema such as {AWS/EC2,InstanceId}, a search term, or both.');
  }
  return { text: text.trim(), ...(schema ? { schema } : {}), ...(term ? { term } : {}) };
}

const skipSpace = (text: string, i: number): number => {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
};

function parseSchema(text: string, open: number): { schema: MetricSchema; end: number } {
  const names: string[] = [];
  let i = open + 1;
  for (;;) {
    i = skipSpace(text, i);
    let name: string;
    if (text[i] === '"') {
      const q = readQuoted(text, i);
      name = q.value;
      i = skipSpace(text, q.end);
    } else {
      const start = i;
      while (i < text.length && text[i] !== ',' && text[i] !== '}' && text[i] !== '"') i++;
      name = text.slice(start, i).trim();
    }
    if (name === '') throw new MetricMathError(names.length === 0 ? 'The metric schema must start with a namespace, as in {AWS/EC2,InstanceId}.' : 'The metric schema has an empty dimension name.');
    names.push(name);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '}') break;
    throw new MetricMathError(`The metric schema is missing its closing '}' or a ',' between names (position ${i + 1}).`);
  }
  const [namespace, ...dimensionNames] = names as [string, ...string[]];
  return { schema: { namespace, dimensionNames }, end: i + 1 };
}

/** A "double quoted" string from `start` (the quote); returns the unescaped text and the index after it. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== '"') {
    const c = text[i]!;
    const n = text[i + 1];
    if (c === '\\' && n !== undefined && '"\\()'.includes(n)) {
      value += n;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  if (i >= text.length) throw new MetricMathError(`The search query has an unterminated "…" starting at position ${start + 1}.`);
  return { value, end: i + 1 };
}

function lex(text: string, from: number): Tok[] {
  const toks: Tok[] = [];
  let i = from;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) break;
    const c = text[i]!;
    if (c === '(' || c === ')' || c === '=') {
      toks.push({ type: c, pos: i });
      i++;
    } else if (c === '"') {
      const q = readQuoted(text, i);
      toks.push({ type: 'exact', value: q.value, pos: i });
      i = q.end;
    } else {
      const start = i;
      while (i < text.length && !/[\s()="]/.test(text[i]!)) i++;
      toks.push({ type: 'word', value: text.slice(start, i), pos: start });
    }
  }
  toks.push({ type: 'end', pos: text.length });
  return toks;
}

const isOperator = (t: Tok, word: 'AND' | 'OR' | 'NOT'): boolean => t.type === 'word' && t.value === word;

class TermParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  atEnd(): boolean {
    return this.peek().type === 'end';
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.type !== 'end') throw this.unexpected(t);
  }

  term(): SearchTerm {
    const terms = [this.and()];
    while (isOperator(this.peek(), 'OR')) {
      this.i++;
      terms.push(this.and());
    }
    return terms.length === 1 ? terms[0]! : { kind: 'or', terms };
  }

  private and(): SearchTerm {
    const terms = [this.not()];
    for (;;) {
      const t = this.peek();
      if (isOperator(t, 'AND')) {
        this.i++;
        terms.push(this.not());
      } else if (t.type === 'word' ? !isOperator(t, 'OR') : t.type === 'exact' || t.type === '(') {
        terms.push(this.not());
      } else {
        break;
      }
    }
    return terms.length === 1 ? terms[0]! : { kind: 'and', terms };
  }

  private not(): SearchTerm {
    if (isOperator(this.peek(), 'NOT')) {
      this.i++;
      return { kind: 'not', term: this.not() };
    }
    return this.primary();
  }

  private primary(): SearchTerm {
    const t = this.next();
    if (t.type === '(') {
      const inner = this.term();
      const close = this.next();
      if (close.type !== ')') throw this.unexpected(close, "')'");
      return inner;
    }
    if (t.type === 'word' && (t.value === 'AND' || t.value === 'OR')) throw this.unexpected(t, 'a search term');
    if (t.type !== 'word' && t.type !== 'exact') throw this.unexpected(t, 'a search term');
    if (this.peek().type === '=') {
      this.i++;
      const value = this.next();
      if (value.type !== 'word' && value.type !== 'exact') throw this.unexpected(value, `a value after ${t.value}=`);
      return { kind: 'match', property: designator(t.value), value: value.value, exact: value.type === 'exact' };
    }
    return { kind: 'match', property: { kind: 'any' }, value: t.value, exact: t.type === 'exact' };
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    const t = this.toks[this.i]!;
    if (t.type !== 'end') this.i++;
    return t;
  }

  private unexpected(t: Tok, expected?: string): MetricMathError {
    const found = t.type === 'end' ? 'the end of the query' : `'${'value' in t ? t.value : t.type}' at position ${t.pos + 1}`;
    return new MetricMathError(`Invalid search query: ${expected ? `expected ${expected} but found` : 'unexpected'} ${found}.`);
  }
}

function designator(name: string): SearchProperty {
  if (name === 'MetricName') return { kind: 'metricName' };
  if (name === 'Namespace') return { kind: 'namespace' };
  if (name === ':aws.AccountId') return { kind: 'accountId' };
  return { kind: 'dimension', name };
}
