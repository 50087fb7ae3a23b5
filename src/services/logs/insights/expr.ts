/**
 * Expressions → SQL: literals, operators, `like`, `in`, field references (fields.ts) and function
 * calls, which the registry in functions/ compiles one family per file.
 */
import { likeContains } from '../../../store/telemetry/log-events-search-index.ts';
import type { Call, Expr, RegexLit, StringLit } from './ast.ts';
import type { SqlContext } from './context.ts';
import { compileField } from './fields.ts';
import { FUNCTION_COMPILERS } from './functions/index.ts';
import type { FnContext } from './functions/types.ts';
import { unnameGroups } from './regex.ts';
import { FUNCTIONS } from './plan.ts';
import type { Scope } from './stage.ts';
import { asBool, asNum, asText, asTs, isStaticNumber, numericValue, type Val } from './values.ts';

export function compileExpr(cx: SqlContext, e: Expr, scope: Scope): Val {
  switch (e.kind) {
    case 'field':
      return compileField(cx, e, scope);
    case 'string':
      return { sql: cx.str(e.value), type: 'text', lit: { kind: 'string', text: e.value, num: numericValue(e.value) } };
    case 'number':
      if (!Number.isFinite(e.value)) cx.fail(`number out of range: ${e.text}`, e);
      return { sql: cx.f64(e.value), type: 'num', lit: { kind: 'number', text: e.text, num: e.value } };
    case 'bool':
      return { sql: e.value ? '1' : '0', type: 'bool' };
    case 'unary': {
      const v = compileExpr(cx, e.operand, scope);
      if (e.op === 'not') return { sql: `(NOT ${asBool(v)})`, type: 'bool' };
      return { sql: e.op === '-' ? `(-${asNum(cx, v)})` : asNum(cx, v), type: 'num' };
    }
    case 'arith':
      return arith(cx, e.op, compileExpr(cx, e.left, scope), compileExpr(cx, e.right, scope));
    case 'compare':
      return compare(cx, e.op, compileExpr(cx, e.left, scope), compileExpr(cx, e.right, scope));
    case 'logical': {
      const l = asBool(compileExpr(cx, e.left, scope));
      const r = asBool(compileExpr(cx, e.right, scope));
      return { sql: `(${l} ${e.op === 'and' ? 'AND' : 'OR'} ${r})`, type: 'bool' };
    }
    case 'like':
      return like(cx, compileExpr(cx, e.operand, scope), e.pattern, e.negated);
    case 'in':
      return inList(cx, e.operand, e.items, e.negated, scope);
    case 'call': {
      // After stats, `count(*)` names the stats column written that way.
      const column = scope.stage.open || scope.level === 'group' ? undefined : scope.stage.bindings.get(cx.text.slice(e.start, e.end).trim());
      return column ?? compileCall(cx, e, scope);
    }
    default:
      // star, regex and duration are placed by plan.ts; anything else here is a bug.
      return cx.fail(`unexpected ${e.kind}`, e);
  }
}

function compileCall(cx: SqlContext, e: Call, scope: Scope): Val {
  const compile = FUNCTION_COMPILERS.get(e.name);
  if (compile === undefined) return cx.fail(`unknown function ${e.rawName}`, e);
  // Arguments of an aggregation are per event; a scalar function keeps its caller's level.
  const argScope: Scope = FUNCTIONS.get(e.name)?.kind === 'aggregate' ? { stage: scope.stage, level: 'inAggregate' } : scope;
  return compile(fnContext(cx, e, argScope));
}

function fnContext(cx: SqlContext, call: Call, argScope: Scope): FnContext {
  const arg = (i: number): Val => compileExpr(cx, call.args[i]!, argScope);
  return {
    cx,
    call,
    arg,
    args: () => call.args.map((a) => compileExpr(cx, a, argScope)),
    text: (i) => asText(cx, arg(i)),
    num: (i) => asNum(cx, arg(i)),
    timestamp: () => {
      const v = argScope.stage.bindings.get('@timestamp');
      if (v === undefined) {
        cx.fail(`${call.rawName}() uses @timestamp, which is not available after stats unless the first stats defines it`, call);
      }
      return asTs(v);
    },
    literalString: (i, what) => {
      const e = call.args[i];
      if (e?.kind !== 'string') return cx.fail(`${call.rawName}() needs ${what} as a "string" literal`, e ?? { start: 0, end: 0 });
      return e.value;
    },
  };
}

function arith(cx: SqlContext, op: string, a: Val, b: Val): Val {
  const x = asNum(cx, a);
  const y = asNum(cx, b);
  switch (op) {
    case '/': return { sql: `(${x} / nullIf(${y}, 0))`, type: 'num' };
    case '%': return { sql: `(${x} % nullIf(${y}, 0))`, type: 'num' };
    case '^': return { sql: `pow(${x}, ${y})`, type: 'num' };
    default: return { sql: `(${x} ${op} ${y})`, type: 'num' };
  }
}

function compare(cx: SqlContext, op: string, a: Val, b: Val): Val {
  if (a.type === 'json' || b.type === 'json') return { sql: '0', type: 'bool' }; // "Comparing map and list to any other fields result in false"
  if (a.type === 'ts' || b.type === 'ts') {
    return { sql: `(${asTs(a)} ${op} ${asTs(b)})`, type: 'bool' };
  }
  const an = isStaticNumber(a);
  const bn = isStaticNumber(b);
  if (an && bn) return { sql: `(${asNum(cx, a)} ${op} ${asNum(cx, b)})`, type: 'bool' };
  if (an || bn) return compareNumberText(cx, op, an ? a : b, an ? b : a, an);
  // Text against text: numerically when both read as numbers.
  const lit = a.lit ?? b.lit;
  if (a.lit !== undefined && b.lit !== undefined) {
    const both = a.lit.num !== undefined && b.lit.num !== undefined;
    return { sql: both ? `(${cx.f64(a.lit.num!)} ${op} ${cx.f64(b.lit.num!)})` : `(${a.sql} ${op} ${b.sql})`, type: 'bool' };
  }
  if (lit !== undefined && lit.num === undefined) return { sql: `(${a.sql} ${op} ${b.sql})`, type: 'bool' };
  const na = a.lit?.num !== undefined ? cx.f64(a.lit.num) : `toFloat64OrNull(${a.sql})`;
  const nb = b.lit?.num !== undefined ? cx.f64(b.lit.num) : `toFloat64OrNull(${b.sql})`;
  return {
    sql: `if(isNotNull(${na}) AND isNotNull(${nb}), ${na} ${op} ${nb}, ${a.sql} ${op} ${b.sql})`,
    type: 'bool',
  };
}

/** A number against a text value: numeric when the text reads as a number, else false (`!=`: true). */
function compareNumberText(cx: SqlContext, op: string, n: Val, t: Val, numberLeft: boolean): Val {
  const nSql = asNum(cx, n);
  if (t.lit !== undefined) {
    if (t.lit.num === undefined) return { sql: op === '!=' ? '1' : '0', type: 'bool' };
    const tn = cx.f64(t.lit.num);
    return { sql: numberLeft ? `(${nSql} ${op} ${tn})` : `(${tn} ${op} ${nSql})`, type: 'bool' };
  }
  const tn = `toFloat64OrNull(${t.sql})`;
  const cmp = numberLeft ? `${nSql} ${op} ${tn}` : `${tn} ${op} ${nSql}`;
  return { sql: `if(isNull(${t.sql}), NULL, if(isNotNull(${tn}), ${cmp}, ${op === '!=' ? 1 : 0}))`, type: 'bool' };
}

function like(cx: SqlContext, v: Val, pattern: StringLit | RegexLit, negated: boolean): Val {
  const t = asText(cx, v);
  const m = pattern.kind === 'string'
    ? `like(${t}, ${cx.str(likeContains(pattern.value))})`
    : `match(${t}, ${cx.str(unnameGroups(pattern.source))})`;
  return { sql: negated ? `(NOT ${m})` : m, type: 'bool' };
}

/** "String matches using in must be complete string matches"; numbers match numerically. */
function inList(cx: SqlContext, operandExpr: Expr, items: Expr[], negated: boolean, scope: Scope): Val {
  const v = compileExpr(cx, operandExpr, scope);
  if (v.type === 'json') return { sql: '0', type: 'bool' };
  const nums: string[] = [];
  const strs: string[] = [];
  const others: string[] = [];
  for (const item of items) {
    const iv = compileExpr(cx, item, scope);
    if (v.type !== 'ts' && iv.lit !== undefined) {
      if (iv.lit.num !== undefined) {
        nums.push(cx.f64(iv.lit.num));
        continue;
      }
      // A non-numeric string equals a text value exactly, and never a number.
      if (v.type === 'text') strs.push(iv.sql);
      continue;
    }
    others.push(compare(cx, '=', v, iv).sql);
  }
  const parts: string[] = [];
  if (nums.length > 0) parts.push(`${asNum(cx, v)} IN (${nums.join(', ')})`);
  if (strs.length > 0) parts.push(`${v.sql} IN (${strs.join(', ')})`);
  parts.push(...others);
  const any = parts.length === 0 ? '0' : parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  const sql = `if(isNull(${v.sql}), NULL, ${any})`;
  return { sql: negated ? `(NOT ${sql})` : sql, type: 'bool' };
}
