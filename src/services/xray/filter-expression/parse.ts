/**
 * Filter expression → syntax tree. Precedence as the guide describes compound expressions:
 * `!`/`NOT` binds tightest, then AND, then OR; parentheses group; two terms side by side mean AND
 * (the guide's `ok !partial duration <3`).
 */
import type { FilterNode, Scope } from './ast.ts';
import { Cursor } from './cursor.ts';
import { FilterExpressionError } from './errors.ts';
import { tokenize } from './lexer.ts';
import { parseTerm } from './parse-terms.ts';

export function parseFilterExpression(text: string): FilterNode {
  if (text.trim() === '') throw new FilterExpressionError('the expression is empty', 0);
  const c = new Cursor(tokenize(text));
  const node = parseOr(c, 'trace');
  if (c.peek().kind !== 'eof') throw c.error('expected AND, OR or the end of the expression');
  return node;
}

export function parseOr(c: Cursor, scope: Scope): FilterNode {
  c.enter(c.peek());
  let left = parseAnd(c, scope);
  while (c.isWord('or')) {
    c.next();
    left = { kind: 'or', left, right: parseAnd(c, scope) };
  }
  c.leave();
  return left;
}

function parseAnd(c: Cursor, scope: Scope): FilterNode {
  let left = parseUnary(c, scope);
  for (;;) {
    if (c.isWord('and')) c.next();
    else if (!startsTerm(c)) return left;
    left = { kind: 'and', left, right: parseUnary(c, scope) };
  }
}

function startsTerm(c: Cursor): boolean {
  const t = c.peek();
  if (t.kind === 'op') return t.text === '!' || t.text === '(';
  return t.kind === 'word' && t.lower !== 'or' && t.lower !== 'and';
}

function parseUnary(c: Cursor, scope: Scope): FilterNode {
  if (c.isOp('!') || c.isWord('not')) {
    const at = c.next();
    c.enter(at);
    const operand = parseUnary(c, scope);
    c.leave();
    return { kind: 'not', operand };
  }
  if (c.isOp('(')) {
    c.next();
    const node = parseOr(c, scope);
    c.expectOp(')', 'to close the group opened with (');
    return node;
  }
  return parseTerm(c, scope, parseOr);
}
