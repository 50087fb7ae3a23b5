/**
 * Metrics Insights query text → MiQuery (ast.ts). Implements the grammar of "Metrics Insights query
 * components and syntax" and nothing beyond it: clauses in their fixed order, the five functions,
 * `=` / `!=` / `AND` in WHERE. Everything else the docs do not list (OR, LIKE, IN, parentheses,
 * `*`, several SELECT items, comments) is rejected with an error naming it, never ignored.
 *
 * Reserved words. The docs publish a long reserved list ("If any of these words are in a namespace,
 * metric name, or label key in a query, you must enclose them in double quote marks"), yet their own
 * sample queries use three of its words bare: `SCHEMA("AWS/Usage", Class, Resource, Service, Type)
 * WHERE Type = 'API'`. What AWS is known to enforce is a function name used as a name (Invalid
 * syntax. Reserved keyword 'Count' must be surrounded by double quotes, grafana/grafana#93494). So
 * the words this grammar itself gives meaning to must be quoted when used as names, and the rest of
 * the list is accepted bare, which keeps every documented example valid.
 */
import type { Condition, FromClause, MiFunction, MiQuery, Name, OrderBy } from './ast.ts';
import { MetricsInsightsError, syntaxError } from './errors.ts';
import { describe, tokenize, type Token } from './lexer.ts';

/** MetricDataQuery.Expression is 1–2048 characters (the CloudWatch model's MetricExpression shape). */
export const MAX_QUERY_LENGTH = 2048;
/**
 * "The maximum value that you can specify is 500, and a query that does not specify a LIMIT can also
 * return no more than 500 time series."
 */
export const MAX_LIMIT = 500;

export const FUNCTIONS: readonly MiFunction[] = ['AVG', 'COUNT', 'MAX', 'MIN', 'SUM'];

/** Words with a meaning in this grammar: a bare name spelled like one must be quoted. */
const KEYWORDS = new Set([
  'SELECT', 'FROM', 'SCHEMA', 'WHERE', 'AND', 'OR', 'NOT', 'GROUP', 'ORDER', 'BY', 'ASC', 'DESC', 'LIMIT',
  ...FUNCTIONS,
]);

/** SQL operators users reach for that the docs do not list for WHERE. */
const UNSUPPORTED_WHERE_WORDS = new Set(['LIKE', 'ILIKE', 'IN', 'NOT', 'IS', 'BETWEEN', 'REGEXP', 'RLIKE']);

const ALLOWED = 'The WHERE clause supports =, != and AND';

export function parseMetricsInsights(query: string): MiQuery {
  return new Parser(query).query();
}

/** True when a MetricDataQuery.Expression is a Metrics Insights query rather than metric math. */
export function isMetricsInsightsQuery(expression: string): boolean {
  return /^\s*select(?![A-Za-z0-9_])/i.test(expression);
}

/** `a, b or c` */
const oneOf = (items: string[]): string =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(private readonly text: string) {
    if (text.trim() === '') throw syntaxError(text, 'The query is empty', 0, text.length);
    if (text.length > MAX_QUERY_LENGTH) {
      throw new MetricsInsightsError(text,
        `The query is ${text.length} characters long; the maximum is ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH, text.length);
    }
    this.tokens = tokenize(text);
  }

  query(): MiQuery {
    this.keyword('SELECT');
    const fn = this.fn('SELECT');
    this.punct('(', `'(' and the metric name after ${fn}`);
    const metricName = this.name('a metric name');
    const extra = this.peek();
    if (extra.kind === 'punct' && extra.text === ',') {
      throw syntaxError(this.text, `${fn} takes exactly one metric name`, extra.start, extra.end);
    }
    this.punct(')', `')' after the metric name`);
    const more = this.peek();
    if (more.kind === 'punct' && more.text === ',') {
      throw syntaxError(this.text, 'SELECT takes exactly one FUNCTION(metricName)', more.start, more.end);
    }
    this.keyword('FROM');
    const from = this.from();
    const where = this.isKeyword('WHERE') ? this.where() : [];
    const groupBy = this.isKeyword('GROUP') ? this.groupBy() : [];
    const orderBy = this.isKeyword('ORDER') ? this.orderBy() : undefined;
    const limit = this.isKeyword('LIMIT') ? this.limit() : undefined;
    const end = this.peek();
    if (end.kind !== 'eof') {
      // Name what could still come at this point: clauses only go in their documented order.
      const after = limit ? [] : orderBy ? ['LIMIT'] : groupBy.length ? ["','", 'ORDER BY', 'LIMIT']
        : where.length ? ['AND', 'GROUP BY', 'ORDER BY', 'LIMIT'] : ['WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT'];
      this.unexpected(end, oneOf([...after, 'the end of the query']));
    }
    return { text: this.text, fn, metricName, from, where, groupBy, orderBy, limit };
  }

  private from(): FromClause {
    const t = this.peek();
    const next = this.tokens[this.at + 1];
    if (t.kind === 'word' && t.text.toUpperCase() === 'SCHEMA' && next?.kind === 'punct' && next.text === '(') {
      this.at += 2;
      if (this.isPunct(')')) {
        throw syntaxError(this.text, 'SCHEMA needs at least one argument, the namespace', t.start, this.peek().end);
      }
      const namespace = this.name('the namespace');
      const keys: Name[] = [];
      while (this.isPunct(',')) {
        this.at++;
        keys.push(this.name('a label key'));
      }
      const close = this.punct(')', `',' or ')' in SCHEMA(...)`);
      return { kind: 'schema', namespace, keys, start: t.start, end: close.end };
    }
    const namespace = this.name('a namespace or SCHEMA(...)');
    return { kind: 'namespace', namespace, start: namespace.start, end: namespace.end };
  }

  private where(): Condition[] {
    this.at++;
    const conditions = [this.condition()];
    for (;;) {
      const t = this.peek();
      if (this.isKeyword('AND')) {
        this.at++;
        conditions.push(this.condition());
      } else if (this.isKeyword('OR')) {
        throw syntaxError(this.text, `OR is not supported. ${ALLOWED}`, t.start, t.end);
      } else {
        return conditions;
      }
    }
  }

  private condition(): Condition {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') throw syntaxError(this.text, `Parentheses are not supported. ${ALLOWED}`, t.start, t.end);
    if (t.kind === 'word' && t.text.toUpperCase() === 'NOT') throw syntaxError(this.text, `NOT is not supported. ${ALLOWED}`, t.start, t.end);
    const key = this.name('a label key');
    const op = this.next();
    if (op.kind === 'word' && UNSUPPORTED_WHERE_WORDS.has(op.text.toUpperCase())) {
      throw syntaxError(this.text, `Operator ${op.text.toUpperCase()} is not supported. ${ALLOWED}`, op.start, op.end);
    }
    if (op.kind !== 'op') this.unexpected(op, `= or != after the label key ${key.value}`);
    if (op.text !== '=' && op.text !== '!=') {
      throw syntaxError(this.text, `Operator ${op.text} is not supported. ${ALLOWED}`, op.start, op.end);
    }
    const value = this.next();
    if (value.kind !== 'string') {
      if (value.kind === 'eof') this.unexpected(value, `a label value in single quotation marks`);
      const shown = value.kind === 'name' ? `"${value.value}"` : value.kind === 'word' ? value.text : describe(value);
      throw syntaxError(this.text, `Label values must be enclosed in single quotation marks, found ${shown}`, value.start, value.end);
    }
    return { key, op: op.text, value: value.value, start: key.start, end: value.end };
  }

  private groupBy(): Name[] {
    this.at++;
    this.keyword('BY', `BY after GROUP`);
    const keys = [this.name('a label key')];
    while (this.isPunct(',')) {
      this.at++;
      keys.push(this.name('a label key'));
    }
    return keys;
  }

  private orderBy(): OrderBy {
    const start = this.next().start;
    this.keyword('BY', `BY after ORDER`);
    const fn = this.fn('ORDER BY');
    this.punct('(', `'()' after ${fn}`);
    const inside = this.peek();
    if (!(inside.kind === 'punct' && inside.text === ')')) {
      throw syntaxError(this.text, `ORDER BY ${fn}() takes no argument: it aggregates the values of each returned time series`,
        inside.start, inside.end);
    }
    let end = this.next().end;
    let direction: 'ASC' | 'DESC' = 'ASC';
    if (this.isKeyword('ASC') || this.isKeyword('DESC')) {
      const d = this.next();
      direction = (d as { text: string }).text.toUpperCase() as 'ASC' | 'DESC';
      end = d.end;
    }
    return { fn, direction, start, end };
  }

  private limit(): { value: number; start: number; end: number } {
    this.at++;
    const t = this.next();
    if (t.kind !== 'word' || !/^\d+$/.test(t.text)) this.unexpected(t, `a whole number from 1 to ${MAX_LIMIT} after LIMIT`);
    const value = Number(t.text);
    if (value < 1 || value > MAX_LIMIT) {
      throw new MetricsInsightsError(this.text, `LIMIT must be from 1 to ${MAX_LIMIT}, got ${t.text}`, t.start, t.end);
    }
    return { value, start: t.start, end: t.end };
  }

  /** One of AVG, COUNT, MAX, MIN, SUM (any case). */
  private fn(clause: string): MiFunction {
    const t = this.next();
    const w = t.kind === 'word' ? t.text.toUpperCase() : undefined;
    if (w !== undefined && (FUNCTIONS as readonly string[]).includes(w)) return w as MiFunction;
    throw syntaxError(this.text, `${clause} takes one of the functions AVG, COUNT, MAX, MIN or SUM, found ${describe(t)}`, t.start, t.end);
  }

  /** A namespace, metric name or label key: a bare word that is not a keyword, or a non-empty "quoted" name. */
  private name(what: string): Name {
    const t = this.next();
    if (t.kind === 'name') {
      if (t.value === '') throw syntaxError(this.text, `Expected ${what}, found an empty quoted name`, t.start, t.end);
      return { value: t.value, quoted: true, start: t.start, end: t.end };
    }
    if (t.kind === 'word') {
      if (KEYWORDS.has(t.text.toUpperCase())) {
        throw syntaxError(this.text, `Reserved keyword '${t.text}' must be surrounded by double quotes`, t.start, t.end);
      }
      return { value: t.text, quoted: false, start: t.start, end: t.end };
    }
    if (t.kind === 'string') {
      throw syntaxError(this.text,
        `Expected ${what}, found '${t.value}': single quotation marks are for label values; names take double quotes`, t.start, t.end);
    }
    return this.unexpected(t, what);
  }

  private keyword(word: string, expected = word): Token {
    const t = this.next();
    if (t.kind !== 'word' || t.text.toUpperCase() !== word) this.unexpected(t, expected);
    return t;
  }

  private punct(p: '(' | ')' | ',', expected: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) this.unexpected(t, expected);
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private isPunct(p: '(' | ')' | ','): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const t = this.tokens[this.at]!;
    if (t.kind !== 'eof') this.at++;
    return t;
  }

  private unexpected(t: Token, expected: string): never {
    throw syntaxError(this.text, `Expected ${expected}, found ${describe(t)}`, t.start, t.end);
  }
}
