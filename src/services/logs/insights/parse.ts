/**
 * Logs Insights query text → AST (ast.ts). Syntax only: whether a field exists at a point of the
 * pipeline, or a function gets the right arguments, is checked by plan.ts.
 *
 * Grammar (keywords and function names are case-insensitive):
 *
 *   query      := command ('|' command)*
 *   command    := fields projections | display projections | filter expr
 *               | stats projections ['by' projections] | sort key (',' key)*
 *               | limit ['any'] N | dedup field (',' field)*
 *               | parse [field] ("glob" 'as' names | /regex/ ['as' names])
 *   projection := expr ['as' name]
 *   expr       := or;  or := and ('or' and)*;  and := not ('and' not)*
 *   not        := ('not' | '!') not | cmp
 *   cmp        := add [(= | != | < | <= | > | >=) add | ['not'] like pattern | =~ pattern | ['not'] in [list]]
 *   add        := mul (('+' | '-') mul)*;   mul := unary (('*' | '/' | '%') unary)*
 *   unary      := ('-' | '+') unary | pow;  pow := primary ['^' unary]
 *   primary    := number | "string" | period | true | false | field | name '(' args ')' | '(' expr ')'
 *
 * Precedence is not documented by AWS; this is the usual one (comparisons bind tighter than `not`,
 * `and` tighter than `or`, `^` tightest and right-associative).
 */
import type {
  Command, DedupCommand, Expr, FieldRef, LimitCommand, ParseCommand, PathSegment, Projection, Query, SortKey,
  StatsCommand, StringLit, RegexLit,
} from './ast.ts';
import { Lexer, type Token } from './lexer.ts';
import { captureGroups, checkRegex } from './regex.ts';

/** Queries longer than this are rejected (StartQuery's queryString limit). */
export const MAX_QUERY_LENGTH = 10_000;
/** Largest `limit` a query may ask for (StartQuery's `limit` range is 1–10,000). */
export const MAX_LIMIT = 10_000;

/** Commands AWS documents that Osprey does not run: rejected by name, never ignored. */
const UNSUPPORTED_COMMANDS = new Set([
  'pattern', 'diff', 'unmask', 'anomaly', 'filterindex', 'unnest', 'lookup', 'join', 'source', 'head', 'tail',
  'fillnull', 'addtotals', 'json', 'eventstats', 'rename', 'top', 'rare',
]);

const COMMANDS = new Set(['fields', 'display', 'filter', 'stats', 'sort', 'limit', 'dedup', 'parse']);

/** Words that cannot be field names without backquotes. */
const RESERVED = new Set(['and', 'or', 'not', 'in', 'like']);

export function parseQuery(text: string): Query {
  const p = new Parser(text);
  return { text, commands: p.query() };
}

/** The unquoted single-word text of a name token, lower-cased, or undefined. */
function word(t: Token): string | undefined {
  if (t.kind !== 'name' || t.segments.length !== 1) return undefined;
  const s = t.segments[0]!;
  return s.kind === 'name' && !s.quoted ? s.name.toLowerCase() : undefined;
}

/** Insights' display name for a field path: `a.b.0`, with backquoted segments taken literally. */
export function fieldName(segments: readonly PathSegment[]): string {
  return segments.map((s) => (s.kind === 'name' ? s.name : String(s.index))).join('.');
}

class Parser {
  private readonly lx: Lexer;

  constructor(readonly text: string) {
    this.lx = new Lexer(text);
  }

  private fail(message: string, start: number, end?: number): never {
    return this.lx.fail(message, start, end);
  }

  private unexpected(t: Token, expected?: string): never {
    const found = t.kind === 'eof' ? '<EOF>' : t.text;
    return this.fail(`unexpected symbol found ${found}${expected ? ` (expected ${expected})` : ''}`, t.start, t.end);
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.text === op;
  }

  private isWord(t: Token, w: string): boolean {
    return word(t) === w;
  }

  private expectOp(op: string, what = `'${op}'`): Token {
    const t = this.lx.next();
    if (!this.isOp(t, op)) this.unexpected(t, what);
    return t;
  }

  query(): Command[] {
    if (this.text.length > MAX_QUERY_LENGTH) {
      this.fail(`the query is ${this.text.length} characters long; the maximum is ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH);
    }
    const commands: Command[] = [];
    if (this.lx.peek().kind === 'eof') this.fail('the query is empty', 0);
    for (;;) {
      commands.push(this.command());
      const t = this.lx.next();
      if (t.kind === 'eof') break;
      if (!this.isOp(t, '|')) this.unexpected(t, "'|' or the end of the query");
    }
    return commands;
  }

  private command(): Command {
    const t = this.lx.next();
    const w = word(t);
    if (w === undefined || !COMMANDS.has(w)) {
      if (w !== undefined && UNSUPPORTED_COMMANDS.has(w)) {
        const hint = w === 'head' || w === 'tail' ? ' (use limit)' : '';
        this.fail(`the ${t.text} command is not supported${hint}`, t.start, t.end);
      }
      this.unexpected(t, 'a command: fields, display, filter, stats, sort, limit, dedup or parse');
    }
    switch (w) {
      case 'fields':
      case 'display': {
        const items = this.projections();
        return { kind: w, items, start: t.start, end: items.at(-1)!.end };
      }
      case 'filter': {
        const cond = this.expr();
        return { kind: 'filter', cond, start: t.start, end: cond.end };
      }
      case 'stats':
        return this.stats(t);
      case 'sort':
        return this.sort(t);
      case 'limit':
        return this.limit(t);
      case 'dedup':
        return this.dedup(t);
      default:
        return this.parse(t);
    }
  }

  private projections(): Projection[] {
    const items: Projection[] = [this.projection()];
    while (this.isOp(this.lx.peek(), ',')) {
      this.lx.next();
      items.push(this.projection());
    }
    return items;
  }

  private projection(): Projection {
    const expr = this.expr();
    let end = expr.end;
    let alias: string | undefined;
    if (this.isWord(this.lx.peek(), 'as')) {
      this.lx.next();
      const a = this.lx.next();
      if (a.kind !== 'name' || a.segments.some((s) => s.kind !== 'name')) this.unexpected(a, 'a name after as');
      alias = fieldName(a.segments);
      end = a.end;
    }
    return { expr, alias, name: alias ?? this.exprName(expr), start: expr.start, end };
  }

  /** The column name of an unaliased expression: a field's name, otherwise the text as written. */
  exprName(e: Expr): string {
    if (e.kind === 'field') return e.name;
    return this.text.slice(e.start, e.end).trim();
  }

  private stats(t: Token): StatsCommand {
    const aggs = this.projections();
    let by: Projection[] = [];
    let end = aggs.at(-1)!.end;
    if (this.isWord(this.lx.peek(), 'by')) {
      this.lx.next();
      by = this.projections();
      end = by.at(-1)!.end;
    }
    const next = this.lx.peek();
    if (this.isWord(next, 'offset')) this.fail('stats … by bin() offset is not supported', next.start, next.end);
    return { kind: 'stats', aggs, by, start: t.start, end };
  }

  private sort(t: Token): Command {
    const keys: SortKey[] = [];
    for (;;) {
      const expr = this.expr();
      let desc = false;
      let end = expr.end;
      const d = this.lx.peek();
      if (this.isWord(d, 'asc') || this.isWord(d, 'desc')) {
        this.lx.next();
        desc = this.isWord(d, 'desc');
        end = d.end;
      }
      keys.push({ expr, desc, start: expr.start, end });
      if (!this.isOp(this.lx.peek(), ',')) break;
      this.lx.next();
    }
    return { kind: 'sort', keys, start: t.start, end: keys.at(-1)!.end };
  }

  private limit(t: Token): LimitCommand {
    let n = this.lx.next();
    // `limit any N` only lets AWS stop scanning early; the result is a plain limit here.
    if (this.isWord(n, 'any')) n = this.lx.next();
    if (n.kind !== 'number' || !/^\d+$/.test(n.text)) this.unexpected(n, 'a positive integer');
    const count = Number(n.text);
    if (count < 1 || count > MAX_LIMIT) this.fail(`limit must be between 1 and ${MAX_LIMIT}, got ${n.text}`, n.start, n.end);
    return { kind: 'limit', count, start: t.start, end: n.end };
  }

  private dedup(t: Token): DedupCommand {
    const fields: FieldRef[] = [];
    for (;;) {
      const f = this.lx.next();
      if (f.kind !== 'name' || RESERVED.has(word(f) ?? '')) this.unexpected(f, 'a field name');
      fields.push(this.fieldRef(f));
      if (!this.isOp(this.lx.peek(), ',')) break;
      this.lx.next();
    }
    return { kind: 'dedup', fields, start: t.start, end: fields.at(-1)!.end };
  }

  private parse(t: Token): ParseCommand {
    let source: FieldRef = { kind: 'field', name: '@message', segments: [{ kind: 'name', name: '@message', quoted: false }], start: t.end, end: t.end };
    let p = this.lx.peek();
    if (p.kind === 'name') {
      const w = word(p);
      if (w === 'logfmt' || w === 'csv') this.fail(`parse … ${p.text} is not supported`, p.start, p.end);
      this.lx.next();
      source = this.fieldRef(p);
      p = this.lx.peek();
      const w2 = word(p);
      if (w2 === 'logfmt' || w2 === 'csv') this.fail(`parse … ${p.text} is not supported`, p.start, p.end);
    }
    if (p.kind === 'string') {
      this.lx.next();
      const stars = p.value.split('*').length - 1;
      if (stars === 0) this.fail('a parse pattern needs at least one * wildcard', p.start, p.end);
      const as = this.lx.next();
      if (!this.isWord(as, 'as')) this.unexpected(as, 'as');
      const { names, end } = this.names();
      if (names.length !== stars) {
        this.fail(`the parse pattern has ${stars} wildcard(s) but ${names.length} field name(s) follow as`, p.start, end);
      }
      return { kind: 'parse', mode: 'glob', source, pattern: p.value, names, start: t.start, end };
    }
    if (this.isOp(p, '/')) {
      const re = this.lx.rescanRegex(p);
      const groups = captureGroups(re.source, (msg, at) => this.fail(msg, re.start + 1 + at, re.start + 2 + at));
      let end = re.end;
      let names: (string | null)[] = groups.map((g) => g.name ?? null);
      if (this.isWord(this.lx.peek(), 'as')) {
        this.lx.next();
        const r = this.names();
        if (r.names.length !== groups.length) {
          this.fail(`the regular expression has ${groups.length} capturing group(s) but ${r.names.length} field name(s) follow as`, re.start, r.end);
        }
        names = r.names;
        end = r.end;
      } else if (!groups.some((g) => g.name !== undefined)) {
        this.fail('a parse regular expression must name its capturing groups: (?<name>…)', re.start, re.end);
      }
      const next = this.lx.peek();
      if (this.isWord(next, 'multi')) this.fail('parse … multi is not supported', next.start, next.end);
      return { kind: 'parse', mode: 'regex', source, regex: re.source, names, start: t.start, end };
    }
    return this.unexpected(p, 'a "glob pattern" or a /regular expression/');
  }

  private names(): { names: string[]; end: number } {
    const names: string[] = [];
    let end: number;
    for (;;) {
      const n = this.lx.next();
      if (n.kind !== 'name' || n.segments.some((s) => s.kind !== 'name')) this.unexpected(n, 'a field name');
      names.push(fieldName(n.segments));
      end = n.end;
      if (!this.isOp(this.lx.peek(), ',')) break;
      this.lx.next();
    }
    return { names, end };
  }

  private fieldRef(t: Token & { kind: 'name' }): FieldRef {
    return { kind: 'field', name: fieldName(t.segments), segments: t.segments, start: t.start, end: t.end };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord(this.lx.peek(), 'or')) {
      this.lx.next();
      const right = this.and();
      left = { kind: 'logical', op: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord(this.lx.peek(), 'and')) {
      this.lx.next();
      const right = this.not();
      left = { kind: 'logical', op: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    const t = this.lx.peek();
    if (this.isWord(t, 'not') || this.isOp(t, '!')) {
      this.lx.next();
      const operand = this.not();
      return { kind: 'unary', op: 'not', operand, start: t.start, end: operand.end };
    }
    return this.cmp();
  }

  private cmp(): Expr {
    const left = this.add();
    const t = this.lx.peek();
    if (t.kind === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.lx.next();
      const right = this.add();
      const e: Expr = { kind: 'compare', op: t.text as '=', left, right, start: left.start, end: right.end };
      this.noChain();
      return e;
    }
    if (this.isOp(t, '=~')) {
      this.lx.next();
      const pattern = this.pattern();
      return { kind: 'like', negated: false, operand: left, pattern, start: left.start, end: pattern.end };
    }
    let negated = false;
    if (this.isWord(t, 'not')) {
      // `x not like …` / `x not in […]`; a bare `not` here is an error reported below.
      this.lx.next();
      negated = true;
    }
    const k = this.lx.peek();
    if (this.isWord(k, 'like')) {
      this.lx.next();
      const pattern = this.pattern();
      return { kind: 'like', negated, operand: left, pattern, start: left.start, end: pattern.end };
    }
    if (this.isWord(k, 'in')) {
      this.lx.next();
      this.expectOp('[', "'[' after in");
      const items: Expr[] = [];
      if (!this.isOp(this.lx.peek(), ']')) {
        for (;;) {
          items.push(this.add());
          if (!this.isOp(this.lx.peek(), ',')) break;
          this.lx.next();
        }
      }
      const close = this.expectOp(']', "',' or ']'");
      if (items.length === 0) this.fail('in needs at least one value', k.start, close.end);
      return { kind: 'in', negated, operand: left, items, start: left.start, end: close.end };
    }
    if (negated) this.unexpected(k, 'like or in after not');
    return left;
  }

  private noChain(): void {
    const t = this.lx.peek();
    if (t.kind === 'op' && ['=', '!=', '<', '<=', '>', '>=', '=~'].includes(t.text)) {
      this.fail(`unexpected symbol found ${t.text} (comparisons cannot be chained; use and)`, t.start, t.end);
    }
  }

  private pattern(): StringLit | RegexLit {
    const t = this.lx.peek();
    if (t.kind === 'string') {
      this.lx.next();
      return { kind: 'string', value: t.value, start: t.start, end: t.end };
    }
    if (this.isOp(t, '/')) {
      const re = this.lx.rescanRegex(t);
      checkRegex(re.source, (msg, at) => this.fail(msg, re.start + 1 + at, re.start + 2 + at));
      return { kind: 'regex', source: re.source, start: re.start, end: re.end };
    }
    return this.unexpected(t, 'a "string" or a /regular expression/');
  }

  private add(): Expr {
    let left = this.mul();
    for (;;) {
      const t = this.lx.peek();
      if (!(this.isOp(t, '+') || this.isOp(t, '-'))) return left;
      this.lx.next();
      const right = this.mul();
      left = { kind: 'arith', op: t.text as '+', left, right, start: left.start, end: right.end };
    }
  }

  private mul(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.lx.peek();
      if (!(this.isOp(t, '*') || this.isOp(t, '/') || this.isOp(t, '%'))) return left;
      this.lx.next();
      const right = this.unary();
      left = { kind: 'arith', op: t.text as '*', left, right, start: left.start, end: right.end };
    }
  }

  private unary(): Expr {
    const t = this.lx.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.lx.next();
      const operand = this.unary();
      // Fold signs into number literals so `-5` keeps its text.
      if (operand.kind === 'number' && t.end === operand.start) {
        const sign = t.text === '-' ? -1 : 1;
        return { kind: 'number', value: sign * operand.value, text: t.text === '-' ? `-${operand.text}` : operand.text, start: t.start, end: operand.end };
      }
      return { kind: 'unary', op: t.text as '-', operand, start: t.start, end: operand.end };
    }
    return this.pow();
  }

  private pow(): Expr {
    const base = this.primary();
    if (this.isOp(this.lx.peek(), '^')) {
      this.lx.next();
      const exp = this.unary();
      return { kind: 'arith', op: '^', left: base, right: exp, start: base.start, end: exp.end };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.lx.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value, text: t.text, start: t.start, end: t.end };
      case 'string':
        return { kind: 'string', value: t.value, start: t.start, end: t.end };
      case 'duration':
        return { kind: 'duration', amount: t.amount, unit: t.unit, text: t.text, start: t.start, end: t.end };
      case 'op':
        if (t.text === '(') {
          const inner = this.expr();
          const close = this.expectOp(')', "')'");
          // Keep the parentheses in the span so unaliased names read as written.
          return { ...inner, start: t.start, end: close.end };
        }
        if (t.text === '/') {
          const re = this.lx.rescanRegex(t);
          this.fail('a regular expression can only follow like, =~ or parse', re.start, re.end);
        }
        return this.unexpected(t, 'an expression');
      case 'name': {
        const w = word(t);
        if (w !== undefined && this.isOp(this.lx.peek(), '(')) return this.call(t);
        if (w === 'true' || w === 'false') return { kind: 'bool', value: w === 'true', start: t.start, end: t.end };
        if (w !== undefined && RESERVED.has(w)) this.unexpected(t, 'an expression');
        return this.fieldRef(t);
      }
      default:
        return this.unexpected(t, 'an expression');
    }
  }

  private call(name: Token & { kind: 'name' }): Expr {
    this.lx.next(); // (
    const args: Expr[] = [];
    const first = this.lx.peek();
    if (this.isOp(first, '*')) {
      this.lx.next();
      args.push({ kind: 'star', start: first.start, end: first.end });
    } else if (!this.isOp(first, ')')) {
      for (;;) {
        args.push(this.expr());
        if (!this.isOp(this.lx.peek(), ',')) break;
        this.lx.next();
      }
    }
    const close = this.expectOp(')', "',' or ')'");
    return { kind: 'call', name: name.text.toLowerCase(), rawName: name.text, args, start: name.start, end: close.end };
  }
}
