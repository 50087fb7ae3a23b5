/**
 * General functions: ispresent, coalesce, if, case, isnumeric, messagesize and the query's own
 * time range (querystarttime, queryendtime, querytimerange, in ms).
 *
 * - coalesce, if and case give one column: the arguments' own type when they all share it, else
 *   text.
 * - case(cond1, value1, …, [default]) takes up to 10 branches; without a default an unmatched
 *   event has no value.
 */
import { asBool, ofBool, ofNum, unify, type Val } from '../values.ts';
import type { FunctionTable } from './types.ts';

export const GENERAL: FunctionTable = {
  ispresent: (f) => ofBool(`isNotNull(${f.arg(0).sql})`),
  coalesce: (f) => {
    const u = unify(f.cx, f.args());
    return { sql: u.sqls.length === 1 ? u.sqls[0]! : `coalesce(${u.sqls.join(', ')})`, type: u.type };
  },
  if: (f) => {
    const u = unify(f.cx, [f.arg(1), f.arg(2)]);
    return { sql: `if(${asBool(f.arg(0))}, ${u.sqls[0]}, ${u.sqls[1]})`, type: u.type };
  },
  case: (f) => {
    const vs = f.args();
    const conds: string[] = [];
    const values: Val[] = [];
    for (let i = 0; i + 1 < vs.length; i += 2) {
      conds.push(asBool(vs[i]!));
      values.push(vs[i + 1]!);
    }
    if (conds.length > 10) f.cx.fail('case() supports up to 10 branches', f.call);
    const hasDefault = vs.length % 2 === 1;
    if (hasDefault) values.push(vs.at(-1)!);
    const u = unify(f.cx, values);
    const branches = conds.map((c, i) => `${c}, ${u.sqls[i]}`);
    return { sql: `multiIf(${branches.join(', ')}, ${hasDefault ? u.sqls.at(-1) : 'NULL'})`, type: u.type };
  },
  isnumeric: (f) => ofBool(`isNotNull(toFloat64OrNull(${f.text(0)}))`),
  messagesize: (f) => ofNum(`length(${f.text(0)})`),
  querystarttime: (f) => ofNum(`toInt64(${f.cx.f64(Math.trunc(f.cx.opts.startMs))})`),
  queryendtime: (f) => ofNum(`toInt64(${f.cx.f64(Math.trunc(f.cx.opts.endMs))})`),
  querytimerange: (f) => ofNum(`toInt64(${f.cx.f64(Math.trunc(f.cx.opts.endMs - f.cx.opts.startMs))})`),
};
