/**
 * Stats (aggregation) functions: count, count_distinct, sum, avg, stddev, min, max, pct,
 * earliest, latest, sortsfirst, sortslast. plan.ts allows them only at the top of a stats
 * expression; their arguments are evaluated per event.
 *
 * - count(*) / count() counts events, count(x) the events where x is present.
 * - stddev is the sample standard deviation (n − 1); a single value gives no result.
 * - min/max compare numbers as numbers; a field with no numeric value compares as strings.
 * - pct(x, p): nearest rank, "the smallest value with at least p % of the values at or below it",
 *   always a value from the data.
 * - earliest/latest: the value of the event with the lowest/highest @timestamp.
 * - sortsfirst/sortslast: the value that sorts first/last in the documented natural order
 *   (non-numbers before numbers, digit runs by length then value).
 */
import { naturalKey, ofNum, ofText, type Val } from '../values.ts';
import type { FnContext, FunctionTable } from './types.ts';

export const STATS: FunctionTable = {
  count: (f) => {
    if (f.call.args.length === 0 || f.call.args[0]!.kind === 'star') return ofNum('count()');
    return ofNum(`count(${f.arg(0).sql})`);
  },
  count_distinct: (f) => ofNum(`uniqExact(${f.arg(0).sql})`),
  sum: (f) => ofNum(`sum(${f.num(0)})`),
  avg: (f) => ofNum(`avg(${f.num(0)})`),
  stddev: (f) => {
    const s = `stddevSamp(${f.num(0)})`;
    return ofNum(`if(isNaN(${s}), NULL, ${s})`);
  },
  min: (f) => minMax(f, 'min'),
  max: (f) => minMax(f, 'max'),
  pct: (f) => {
    const p = f.call.args[1]!;
    if (p.kind !== 'number' || p.value < 0 || p.value > 100) f.cx.fail('pct() takes a percentile between 0 and 100 as a number', p);
    const x = f.num(0);
    const cnt = `countIf(isNotNull(${x}))`;
    return ofNum(`if(${cnt} = 0, NULL, arrayElement(arraySort(groupArrayIf(${x}, isNotNull(${x}))), ` +
      `toUInt64(greatest(1, ceil(${f.cx.f64((p as { value: number }).value)} / 100 * ${cnt})))))`);
  },
  earliest: (f) => byTimestamp(f, 'argMinIf'),
  latest: (f) => byTimestamp(f, 'argMaxIf'),
  sortsfirst: (f) => naturalExtreme(f, 'first'),
  sortslast: (f) => naturalExtreme(f, 'last'),
};

function minMax(f: FnContext, name: 'min' | 'max'): Val {
  const v = f.arg(0);
  if (v.type === 'json') f.cx.fail(`${f.call.rawName}() of a map or list is not supported`, f.call);
  if (v.type !== 'text') return { sql: `${name}(${v.sql})`, type: v.type };
  const x = `toFloat64OrNull(${v.sql})`;
  const arg = name === 'min' ? 'argMinIf' : 'argMaxIf';
  return ofText(`if(countIf(isNotNull(${x})) > 0, ${arg}(${v.sql}, ${x}, isNotNull(${x})), ${name}(${v.sql}))`);
}

function byTimestamp(f: FnContext, fn: 'argMinIf' | 'argMaxIf'): Val {
  const v = f.arg(0);
  const ts = f.timestamp();
  return { sql: `${fn}(${v.sql}, ${ts}, isNotNull(${v.sql}))`, type: v.type };
}

function naturalExtreme(f: FnContext, which: 'first' | 'last'): Val {
  const v = f.arg(0);
  if (v.type === 'json') f.cx.fail(`${f.call.rawName}() of a map or list is not supported`, f.call);
  if (v.type !== 'text') return { sql: `${which === 'first' ? 'min' : 'max'}(${v.sql})`, type: v.type };
  const x = `toFloat64OrNull(${v.sql})`;
  const key = `tuple(isNotNull(${x}), ifNull(${x}, 0), ${naturalKey(v.sql)}, ifNull(${v.sql}, ''))`;
  return ofText(`${which === 'first' ? 'argMinIf' : 'argMaxIf'}(${v.sql}, ${key}, isNotNull(${v.sql}))`);
}
