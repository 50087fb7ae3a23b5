/**
 * Numeric functions: abs, ceil, floor, sqrt, log, round, greatest, least, haversine and the
 * conversions tonumber, todouble, toint, tolong. A value that is not a number gives no result.
 *
 * - round(x) rounds half away from zero (2.5 → 3, -2.5 → -3); round(x, d) to d decimals.
 * - greatest/least ignore missing values.
 * - haversine(lat1, lon1, lat2, lon2): great-circle distance in km (Earth radius 6371 km).
 * - toint is a 32-bit integer, tolong a 64-bit one (a text integer converts exactly); both
 *   truncate toward zero, and a value out of range gives no result.
 */
import { asNum, ofNum } from '../values.ts';
import type { FunctionTable } from './types.ts';

export const NUMERIC: FunctionTable = {
  abs: (f) => ofNum(`abs(${f.num(0)})`),
  ceil: (f) => ofNum(`ceil(${f.num(0)})`),
  floor: (f) => ofNum(`floor(${f.num(0)})`),
  sqrt: (f) => ofNum(`sqrt(${f.num(0)})`),
  log: (f) => ofNum(`log(${f.num(0)})`),
  round: (f) => {
    const x = f.num(0);
    if (f.call.args.length === 1) return ofNum(`if(${x} >= 0, floor(${x} + 0.5), -floor(-${x} + 0.5))`);
    const m = `pow(10, ${f.num(1)})`;
    return ofNum(`(if(${x} >= 0, floor(${x} * ${m} + 0.5), -floor(-${x} * ${m} + 0.5)) / ${m})`);
  },
  greatest: (f) => ofNum(`arrayMax(${presentFloats(f.args().map((v) => asNum(f.cx, v)))})`),
  least: (f) => ofNum(`arrayMin(${presentFloats(f.args().map((v) => asNum(f.cx, v)))})`),
  haversine: (f) => {
    const [lat1, lon1, lat2, lon2] = [f.num(0), f.num(1), f.num(2), f.num(3)];
    return ofNum(`(2 * 6371 * asin(sqrt(pow(sin(radians(${lat2} - ${lat1}) / 2), 2) + ` +
      `cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${lon2} - ${lon1}) / 2), 2))))`);
  },
  tonumber: (f) => ofNum(f.num(0)),
  todouble: (f) => ofNum(f.num(0)),
  toint: (f) => {
    const x = f.num(0);
    return ofNum(`if(abs(${x}) < 2147483648, toInt32(trunc(${x})), NULL)`);
  },
  tolong: (f) => {
    const v = f.arg(0);
    const x = asNum(f.cx, v);
    const exact = v.type === 'text' ? `toInt64OrNull(${v.sql})` : 'NULL';
    return ofNum(`coalesce(${exact}, if(abs(${x}) < 9.2e18, toInt64(trunc(${x})), NULL))`);
  },
};

/** The non-missing values among `xs`, as an array for arrayMax/arrayMin. */
function presentFloats(xs: string[]): string {
  return `arrayFilter(x -> isNotNull(x), [${xs.map((x) => `toFloat64(${x})`).join(', ')}])`;
}
