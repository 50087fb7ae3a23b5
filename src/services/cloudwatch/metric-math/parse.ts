/**
 * Parser for metric math expressions ("Metric math syntax and functions").
 *
 * Grammar, loosest binding first. The doc gives no precedence table; this is the usual one
 * (logical < comparison < additive < multiplicative < unary minus < power), with ^ right-associative
 * and binding tighter than unary minus, so -m1^2 = -(m1^2).
 *
 *   expr    := and (('OR' | '||') and)*
 *   and     := cmp (('AND' | '&&') cmp)*
 *   cmp     := add (('==' | '!=' | '<' | '>' | '<=' | '>=') add)*
 *   add     := mul (('+' | '-') mul)*
 *   mul     := unary (('*' | '/') unary)*
 *   unary   := '-' unary | power
 *   power   := primary ('^' unary)?
 *   primary := number | string | '(' expr ')' | '[' expr (',' expr)* ']'
 *            | FUNCTION '(' [expr (',' expr)*] ')' | id | KEYWORD
 */
import type { BinaryOp, Expr } from './ast.ts';
import { isKeyword } from './ast.ts';
import { MetricMathError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { parseSearchQuery } from './search/parse.ts';
import { FUNCTION_NAMES, SIGNATURES, UNSUPPORTED } from './signatures.ts';

/** How deep an expression may nest (ours; real expressions stay in single digits). */
const MAX_DEPTH = 100;

export function parseExpression(text: string): Expr {
  if (text.trim() === '') throw new MetricMathError('The expression is empty.');
  const parser = new Parser(tokenize(text));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

/**
 * Ids an expression refers to, once each, in order of appearance: for dependency order and cycle
 * checks. METRICS() refers to every metric of the request; see usesMetricsFunction.
 */
export function referencedIds(expr: Expr): string[] {
  const ids = new Set<string>();
  walk(expr, (e) => {
    if (e.kind === 'id') ids.add(e.name);
  });
  return [...ids];
}

/** Whether the expression calls METRICS(), i.e. depends on every metric query of the request. */
export function usesMetricsFunction(expr: Expr): boolean {
  let found = false;
  walk(expr, (e) => {
    if (e.kind === 'call' && e.name === 'METRICS') found = true;
  });
  return found;
}

function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'array':
      expr.items.forEach((item) => walk(item, visit));
      break;
    case 'negate':
      walk(expr.operand, visit);
      break;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case 'call':
      expr.args.forEach((arg) => walk(arg, visit));
      break;
    default:
      break;
  }
}

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private depth = 0;

  /** Recursion guard: deep nesting within the 2,048-character limit must be an error, not a stack overflow. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      throw new MetricMathError(`The expression nests more than ${MAX_DEPTH} levels deep (parentheses, brackets, function calls, unary minus or ^).`);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  expression(): Expr {
    return this.nested(() => this.or());
  }

  private or(): Expr {
    let left = this.and();
    while (this.isLogical('OR', '||')) {
      this.i++;
      left = { kind: 'binary', op: 'OR', left, right: this.and() };
    }
    return left;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.type !== 'end') throw this.unexpected(t, 'an operator or the end of the expression');
  }

  private and(): Expr {
    let left = this.comparison();
    while (this.isLogical('AND', '&&')) {
      this.i++;
      left = { kind: 'binary', op: 'AND', left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): Expr {
    let left = this.additive();
    for (let t = this.peek(); t.type === 'op' && COMPARISONS.has(t.value); t = this.peek()) {
      this.i++;
      left = { kind: 'binary', op: t.value as BinaryOp, left, right: this.additive() };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (let t = this.peek(); t.type === 'op' && (t.value === '+' || t.value === '-'); t = this.peek()) {
      this.i++;
      left = { kind: 'binary', op: t.value, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (let t = this.peek(); t.type === 'op' && (t.value === '*' || t.value === '/'); t = this.peek()) {
      this.i++;
      left = { kind: 'binary', op: t.value, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.type === 'op' && t.value === '-') {
      this.i++;
      return { kind: 'negate', operand: this.nested(() => this.unary()) };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    const t = this.peek();
    if (t.type === 'op' && t.value === '^') {
      this.i++;
      return { kind: 'binary', op: '^', left: base, right: this.nested(() => this.unary()) };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.value };
      case 'string':
        return { kind: 'string', value: t.value };
      case 'punct':
        if (t.value === '(') {
          const inner = this.expression();
          this.expectPunct(')');
          return inner;
        }
        if (t.value === '[') {
          const items = [this.expression()];
          while (this.acceptPunct(',')) items.push(this.expression());
          this.expectPunct(']');
          return { kind: 'array', items };
        }
        throw this.unexpected(t, 'a value');
      case 'word':
        return this.word(t.value, t.pos);
      default:
        throw this.unexpected(t, 'a value');
    }
  }

  private word(name: string, pos: number): Expr {
    const next = this.peek();
    if (next.type === 'punct' && next.value === '(') {
      this.i++;
      return this.call(name, pos);
    }
    if (/^[a-z]/.test(name)) return { kind: 'id', name };
    if (isKeyword(name)) return { kind: 'keyword', name };
    throw new MetricMathError(
      `Unrecognized identifier '${name}' at position ${pos + 1}: an Id must start with a lowercase letter ` +
        `and contain only letters, numbers and underscores.`,
    );
  }

  /** After the opening parenthesis. */
  private call(name: string, pos: number): Expr {
    if (UNSUPPORTED[name] !== undefined) {
      this.skipToClosingParenthesis(name);
      return { kind: 'unsupported', name };
    }
    const sig = SIGNATURES[name];
    if (sig === undefined) {
      const hint = SIGNATURES[name.toUpperCase()] !== undefined ? ` Functions must be written in uppercase letters: ${name.toUpperCase()}.` : '';
      throw new MetricMathError(
        `Unrecognized function '${name}' at position ${pos + 1}.${hint} Supported functions: ${FUNCTION_NAMES.join(', ')}.`,
      );
    }
    const args: Expr[] = [];
    if (!this.acceptPunct(')')) {
      args.push(this.expression());
      while (this.acceptPunct(',')) args.push(this.expression());
      this.expectPunct(')');
    }
    if (args.length < sig.min || args.length > sig.max) {
      const expected = sig.min === sig.max ? `${sig.min}` : `${sig.min} to ${sig.max}`;
      throw new MetricMathError(
        `${name} takes ${expected} argument${sig.max === 1 ? '' : 's'} but was given ${args.length}. Usage: ${sig.usage}.`,
      );
    }
    if (name === 'SEARCH') return this.search(args);
    return { kind: 'call', name, args };
  }

  private search(args: Expr[]): Expr {
    const [query, statistic, period] = args;
    if (query?.kind !== 'string') throw new MetricMathError(`The first SEARCH argument must be the search query in single quotes, as in SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300).`);
    if (statistic?.kind !== 'string' || statistic.value.trim() === '') {
      throw new MetricMathError(`The second SEARCH argument must be a statistic in single quotes, such as 'Average', 'Sum' or 'p99'.`);
    }
    if (period !== undefined && (period.kind !== 'number' || !Number.isInteger(period.value) || period.value <= 0)) {
      throw new MetricMathError('The third SEARCH argument must be the period: a whole number of seconds greater than 0.');
    }
    return {
      kind: 'search',
      query: parseSearchQuery(query.value),
      statistic: statistic.value.trim(),
      ...(period !== undefined ? { period: (period as { value: number }).value } : {}),
    };
  }

  private skipToClosingParenthesis(name: string): void {
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.type === 'end') throw new MetricMathError(`Missing ')' to close ${name}(.`);
      if (t.type === 'punct' && t.value === '(') depth++;
      if (t.type === 'punct' && t.value === ')') depth--;
    }
  }

  private isLogical(word: string, symbol: string): boolean {
    const t = this.peek();
    return (t.type === 'word' && t.value === word) || (t.type === 'op' && t.value === symbol);
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.type !== 'end') this.i++;
    return t;
  }

  private acceptPunct(value: string): boolean {
    const t = this.peek();
    if (t.type === 'punct' && t.value === value) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectPunct(value: string): void {
    if (!this.acceptPunct(value)) throw this.unexpected(this.peek(), `'${value}'`);
  }

  private unexpected(t: Token, expected: string): MetricMathError {
    const found = t.type === 'end' ? 'the end of the expression' : `'${t.type === 'string' ? t.value : String(t.value)}' at position ${t.pos + 1}`;
    return new MetricMathError(`Syntax error: expected ${expected} but found ${found}.`);
  }
}
