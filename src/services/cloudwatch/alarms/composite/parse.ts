/**
 * parseAlarmRule: AlarmRule text → RuleExpr, per PutCompositeAlarm.
 *
 * Grammar (keywords upper-case, as every AWS example writes them):
 *   rule     := or
 *   or       := and ("OR" and)*
 *   and      := not ("AND" not)*
 *   not      := "NOT" not | primary
 *   primary  := "(" rule ")" | "TRUE" | "FALSE"
 *             | ("ALARM" | "OK" | "INSUFFICIENT_DATA") "(" ref ")"
 *             | "AT_LEAST" "(" threshold "," ["NOT"] state "," "(" ref ("," ref)* ")" ")"
 *   ref      := quoted string | bare word
 *   threshold:= integer | integer "%" (bare or quoted)
 *
 * AWS does not document AND/OR precedence (its examples parenthesise mixed rules); we use the
 * conventional NOT > AND > OR. Limits from the API reference: AlarmRule length 1–10240;
 * "The AlarmRule can specify as many as 100 'children' alarms. The AlarmRule expression can have
 * as many as 500 elements. Elements are child alarms, TRUE or FALSE statements, and parentheses."
 */
import { STATE_FUNCTIONS, type AtLeastThreshold, type RuleExpr } from './ast.ts';
import { AlarmRuleError } from './errors.ts';
import { lex, type Token } from './lex.ts';
import type { AlarmState } from '../evaluation/types.ts';

export const MAX_RULE_LENGTH = 10_240;
export const MAX_CHILDREN = 100;
export const MAX_ELEMENTS = 500;

/** How deep parentheses and NOT may nest (ours; far beyond any real rule). */
const MAX_DEPTH = 100;

export function parseAlarmRule(text: string): RuleExpr {
  if (text.length < 1 || text.length > MAX_RULE_LENGTH) {
    throw new AlarmRuleError(`AlarmRule must be between 1 and ${MAX_RULE_LENGTH} characters long; it has ${text.length}.`);
  }
  const parser = new Parser(lex(text));
  const rule = parser.rule();
  parser.expectEnd();
  const children = new Set(referencedAlarms(rule)).size;
  if (children > MAX_CHILDREN) {
    throw new AlarmRuleError(`AlarmRule can reference at most ${MAX_CHILDREN} alarms; it references ${children}.`);
  }
  if (parser.elements > MAX_ELEMENTS) {
    throw new AlarmRuleError(`AlarmRule can have at most ${MAX_ELEMENTS} elements; it has ${parser.elements}.`);
  }
  return rule;
}

/** Every alarm the rule names, as written, first occurrence first, without repeats. */
export function referencedAlarms(rule: RuleExpr): string[] {
  const out = new Set<string>();
  const walk = (e: RuleExpr): void => {
    switch (e.kind) {
      case 'state':
        out.add(e.alarm);
        return;
      case 'atLeast':
        e.alarms.forEach((a) => out.add(a));
        return;
      case 'not':
        return walk(e.operand);
      case 'and':
      case 'or':
        walk(e.left);
        walk(e.right);
        return;
      case 'constant':
        return;
    }
  };
  walk(rule);
  return [...out];
}

const describe = (t: Token): string =>
  t.type === 'end' ? 'the end of the rule' : t.type === 'word' ? `'${t.text}'` : t.type === 'string' ? `"${t.text}"` : `'${t.type}'`;

class Parser {
  private i = 0;
  /** Child references, TRUE/FALSE and parenthesised groups, for the 500-element limit. */
  elements = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return t.type === 'word' && t.text === text;
  }

  private fail(expected: string): never {
    const t = this.peek();
    throw new AlarmRuleError(`Invalid AlarmRule at position ${t.pos}: expected ${expected} but found ${describe(t)}.`, t.pos);
  }

  private expect(type: '(' | ')' | ','): void {
    if (this.peek().type !== type) this.fail(`'${type}'`);
    this.i++;
  }

  expectEnd(): void {
    if (this.peek().type !== 'end') this.fail('AND, OR or the end of the rule');
  }

  rule(): RuleExpr {
    let left = this.and();
    while (this.isWord('OR')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): RuleExpr {
    let left = this.not();
    while (this.isWord('AND')) {
      this.i++;
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): RuleExpr {
    if (this.isWord('NOT')) {
      this.i++;
      return { kind: 'not', operand: this.nested(() => this.not()) };
    }
    return this.primary();
  }

  private depth = 0;

  /** Recursion guard: a rule within the length limit could otherwise nest deep enough to overflow the stack. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      throw new AlarmRuleError(`Invalid AlarmRule at position ${t.pos}: parentheses and NOT nest more than ${MAX_DEPTH} levels deep.`, t.pos);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private primary(): RuleExpr {
    const t = this.peek();
    if (t.type === '(') {
      this.i++;
      this.elements++;
      const inner = this.nested(() => this.rule());
      this.expect(')');
      return inner;
    }
    if (t.type !== 'word') this.fail('ALARM(…), OK(…), INSUFFICIENT_DATA(…), AT_LEAST(…), TRUE, FALSE, NOT or (');
    if (t.text === 'TRUE' || t.text === 'FALSE') {
      this.i++;
      this.elements++;
      return { kind: 'constant', value: t.text === 'TRUE' };
    }
    if (STATE_FUNCTIONS.has(t.text)) {
      this.i++;
      this.expect('(');
      const alarm = this.ref();
      this.expect(')');
      return { kind: 'state', state: t.text as AlarmState, alarm };
    }
    if (t.text === 'AT_LEAST') {
      this.i++;
      return this.atLeast();
    }
    return this.fail('ALARM(…), OK(…), INSUFFICIENT_DATA(…), AT_LEAST(…), TRUE, FALSE, NOT or (');
  }

  private ref(): string {
    const t = this.peek();
    if ((t.type !== 'word' && t.type !== 'string') || t.text === '') this.fail('an alarm name or ARN');
    this.i++;
    this.elements++;
    return (t as { text: string }).text;
  }

  /** AT_LEAST(M, [NOT] STATE, (a1, a2, …)) — from the composite-alarm guide's operator table. */
  private atLeast(): RuleExpr {
    this.expect('(');
    const threshold = this.threshold();
    this.expect(',');
    const negated = this.isWord('NOT');
    if (negated) this.i++;
    const s = this.peek();
    if (s.type !== 'word' || !STATE_FUNCTIONS.has(s.text)) this.fail('ALARM, OK or INSUFFICIENT_DATA');
    this.i++;
    this.expect(',');
    this.expect('(');
    const alarms = [this.ref()];
    while (this.peek().type === ',') {
      this.i++;
      alarms.push(this.ref());
    }
    this.expect(')');
    this.expect(')');
    return { kind: 'atLeast', threshold, state: (s as { text: string }).text as AlarmState, negated, alarms };
  }

  private threshold(): AtLeastThreshold {
    const t = this.peek();
    const text = t.type === 'word' || t.type === 'string' ? t.text : '';
    const m = /^(\d+)(%?)$/.exec(text);
    if (!m) this.fail('a count or a percentage such as 2 or 50%');
    this.i++;
    const n = Number(m[1]);
    if (m[2]) {
      if (n < 1 || n > 100) this.fail('a percentage between 1% and 100%');
      return { percent: n };
    }
    if (n < 1) this.fail('a count of at least 1');
    return { count: n };
  }
}
