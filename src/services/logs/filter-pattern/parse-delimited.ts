/** Space-delimited patterns (`[ip, user, ..., status_code = 4*, bytes > 1000]`). */
import type { DelimitedField, DelimitedPattern, FieldExpr } from './ast.ts';
import { invalidPattern, isWordChar } from './parse-common.ts';
import { Cursor, checkLogical, parseOp, parseValue } from './parse-cursor.ts';

/**
 * `[ip, user, ..., status_code = 4* || status_code = 5*, bytes > 1000]`. Each field is a name
 * (letters, digits, '_'), optionally with conditions on that same field joined by `&&` / `||`
 * (and, undocumented, parentheses); `...` stands for any number of fields. Undocumented: an empty
 * field (`[a, , b]`, or the 2023 doc's trailing comma `[..., status_code=4*,]`) is an unnamed field;
 * a condition naming another field (the doc's `status_code = 4* && bytes > 1000`, which AWS
 * answers with "Invalid filter pattern") is rejected.
 */
export function parseDelimitedPattern(s: string, start: number, end: number): DelimitedPattern {
  const c = new Cursor(s, start + 1, end - 1);
  c.skipSpace();
  if (c.atEnd()) throw invalidPattern('a space-delimited filter pattern needs at least one field', start);
  const fields: DelimitedField[] = [];
  const names = new Set<string>();
  for (;;) {
    c.skipSpace();
    const pos = c.i;
    if (c.atEnd() || c.peek() === ',') {
      fields.push({ kind: 'field', name: null, cond: null, pos });
    } else if (c.startsWith('...')) {
      c.i += 3;
      fields.push({ kind: 'ellipsis', pos });
    } else if (c.startsWith('…')) {
      c.i += 1;
      fields.push({ kind: 'ellipsis', pos });
    } else {
      const name = peekName(c);
      if (name === '' && c.peek() !== '(') {
        throw invalidPattern(`expected a field name (letters, digits, '_'), '...' or ',' but found ${c.describeHere()}`, pos);
      }
      const save = c.i;
      c.i += name.length;
      c.skipSpace();
      let field: DelimitedField;
      if (name !== '' && (c.atEnd() || c.peek() === ',')) {
        field = { kind: 'field', name, cond: null, pos };
      } else {
        c.i = save;
        const ctx = { name: undefined as string | undefined };
        const cond = parseFieldOr(c, ctx);
        field = { kind: 'field', name: ctx.name!, cond, pos };
      }
      if (names.has(field.name!)) throw invalidPattern(`duplicate field name '${field.name}'`, pos);
      names.add(field.name!);
      fields.push(field);
    }
    c.skipSpace();
    if (c.atEnd()) break;
    if (c.peek() !== ',') throw invalidPattern(`expected ',' or ']' but found ${c.describeHere()}`, c.i);
    c.i++;
    if (c.atEnd()) {
      // A trailing comma: one more, unnamed, field.
      fields.push({ kind: 'field', name: null, cond: null, pos: c.i });
      break;
    }
  }
  return { kind: 'delimited', source: s, fields, hasEllipsis: fields.some((f) => f.kind === 'ellipsis') };
}

function peekName(c: Cursor): string {
  let j = c.i;
  while (j < c.end && isWordChar(c.s.charCodeAt(j))) j++;
  return c.s.slice(c.i, j);
}

function parseFieldOr(c: Cursor, ctx: { name: string | undefined }): FieldExpr {
  const items = [parseFieldAnd(c, ctx)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('||')) break;
    c.i += 2;
    items.push(parseFieldAnd(c, ctx));
  }
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parseFieldAnd(c: Cursor, ctx: { name: string | undefined }): FieldExpr {
  const items = [parseFieldPrimary(c, ctx)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('&&')) break;
    c.i += 2;
    items.push(parseFieldPrimary(c, ctx));
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function parseFieldPrimary(c: Cursor, ctx: { name: string | undefined }): FieldExpr {
  c.skipSpace();
  if (c.peek() === '(') {
    const open = c.i;
    c.i++;
    const e = parseFieldOr(c, ctx);
    c.skipSpace();
    if (c.peek() !== ')') throw invalidPattern(`missing ')' for the '(' at position ${open + 1}; found ${c.describeHere()}`, c.i);
    c.i++;
    return e;
  }
  const pos = c.i;
  const name = peekName(c);
  if (name === '') throw invalidPattern(`expected a field name but found ${c.describeHere()}`, pos);
  if (ctx.name === undefined) ctx.name = name;
  else if (ctx.name !== name) {
    throw invalidPattern(`a field's conditions must all test that field: found '${name}' in the conditions of '${ctx.name}'`, pos);
  }
  c.i += name.length;
  c.skipSpace();
  const op = parseOp(c);
  c.skipSpace();
  const value = parseValue(c, op, ',)&|');
  return { kind: 'compare', op, value, pos };
}
