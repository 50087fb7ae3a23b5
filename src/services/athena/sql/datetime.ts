/**
 * Date and time: literals, intervals, EXTRACT and the date functions. Timestamps are ClickHouse
 * DateTime64(3, 'UTC') (Athena's timestamp(3)); dates are Date32. date_diff counts whole units
 * elapsed (ClickHouse's age(), not dateDiff(), which counts boundaries crossed).
 */
import { arity, compiledArgs, type Call, type FunctionCompiler } from './call.ts';
import { fail, notSupported, type Node } from './errors.ts';
import { str, unquoteTrino } from './sql-text.ts';
import type { Typed } from './types.ts';

const TS = 'timestamp(3)';
const asTs = (sql: string) => `toDateTime64(${sql}, 3, 'UTC')`;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;

export function compileDateLiteral(node: Node): Typed {
  const text = unquoteTrino(String(node.value)).trim();
  if (node.type === 'date') {
    if (!DATE_RE.test(text)) fail('SYNTAX_ERROR', node, `'${text.slice(0, 40)}' is not a valid date literal`);
    return { sql: `toDate32(${str(text)})`, type: 'date' };
  }
  if (!TIMESTAMP_RE.test(text)) fail('SYNTAX_ERROR', node, `'${text.slice(0, 40)}' is not a valid timestamp literal`);
  return { sql: asTs(str(text)), type: TS };
}

const UNITS = new Set(['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']);
const cap = (u: string) => `${u[0]!.toUpperCase()}${u.slice(1)}`;

/** `interval '1' hour`: a whole number of one unit (Trino's day-to-second forms are refused). */
export function compileInterval(node: Node): Typed {
  const value = unquoteTrino(String(node.expr?.value ?? '')).trim();
  const unit = String(node.unit ?? '').toLowerCase();
  if (!/^-?\d+$/.test(value) || node.expr?.type !== 'single_quote_string') notSupported(node, 'An INTERVAL other than a whole number of one unit');
  if (!UNITS.has(unit) || unit === 'millisecond' || unit === 'quarter') notSupported(node, `INTERVAL unit ${unit.toUpperCase()}`);
  return { sql: `toInterval${cap(unit)}(${BigInt(value).toString()})`, type: 'interval' };
}

const EXTRACT: Record<string, [string, string]> = {
  year: ['toYear', 'bigint'], quarter: ['toQuarter', 'bigint'], month: ['toMonth', 'bigint'], week: ['toISOWeek', 'bigint'],
  day: ['toDayOfMonth', 'bigint'], day_of_month: ['toDayOfMonth', 'bigint'], day_of_week: ['toDayOfWeek', 'bigint'],
  dow: ['toDayOfWeek', 'bigint'], day_of_year: ['toDayOfYear', 'bigint'], doy: ['toDayOfYear', 'bigint'],
  hour: ['toHour', 'bigint'], minute: ['toMinute', 'bigint'], second: ['toSecond', 'bigint'], year_of_week: ['toISOYear', 'bigint'],
  yow: ['toISOYear', 'bigint'], week_of_year: ['toISOWeek', 'bigint'],
};

export function compileExtract(node: Node, source: Typed): Typed {
  const field = String(node.args?.field ?? '').toLowerCase();
  const fn = Object.hasOwn(EXTRACT, field) ? EXTRACT[field] : undefined;
  if (!fn) return notSupported(node, `EXTRACT(${field.toUpperCase()} …)`);
  return { sql: `toInt64(${fn[0]}(${source.sql}))`, type: fn[1] };
}

function unitArg(call: Call, i: number): string {
  const unit = call.ex.literal(call.args[i], call.name).toLowerCase();
  if (!UNITS.has(unit)) fail('NOT_SUPPORTED', call.args[i], `'${unit.slice(0, 20)}' is not a valid Time field for ${call.name}()`);
  return unit;
}

const dateTrunc: FunctionCompiler = (call) => {
  arity(call, 2);
  const unit = unitArg(call, 0);
  if (unit === 'millisecond') fail('NOT_SUPPORTED', call.node, "date_trunc('millisecond', …) is not supported");
  const v = call.ex.compile(call.args[1]);
  const truncated = `dateTrunc(${str(unit)}, ${v.sql})`;
  return v.type === 'date' ? { sql: `toDate32(${truncated})`, type: 'date' } : { sql: asTs(truncated), type: TS };
};

const dateAdd: FunctionCompiler = (call) => {
  arity(call, 3);
  const unit = unitArg(call, 0);
  const [, n, v] = compiledArgs(call);
  const interval = unit === 'millisecond' ? `toIntervalMillisecond(${n!.sql})` : `toInterval${cap(unit)}(${n!.sql})`;
  return { sql: `(${v!.sql} + ${interval})`, type: v!.type === 'date' ? 'date' : TS };
};

const dateDiff: FunctionCompiler = (call) => {
  arity(call, 3);
  const unit = unitArg(call, 0);
  const [, a, b] = compiledArgs(call);
  return { sql: `toInt64(age(${str(unit)}, ${asTs(a!.sql)}, ${asTs(b!.sql)}))`, type: 'bigint' };
};

const extractFn = (field: string): FunctionCompiler => (call) => {
  arity(call, 1);
  const [fn, type] = EXTRACT[field]!;
  return { sql: `toInt64(${fn}(${call.ex.compile(call.args[0]).sql}))`, type };
};

/** Trino's (MySQL-style) date_format specifiers → formatDateTime's, or a function for those ClickHouse spells differently. */
const FORMAT_SPECIFIERS: Record<string, string | ((x: string) => string)> = {
  Y: '%Y', y: '%y', m: '%m', d: '%d', H: '%H', I: '%I', h: '%I', i: '%i', S: '%S', s: '%S', j: '%j', p: '%p',
  a: '%a', b: '%b', W: '%W', T: '%H:%i:%S', r: '%I:%i:%S %p', '%': '%%',
  M: (x) => `monthName(${x})`,
  c: (x) => `toString(toMonth(${x}))`,
  e: (x) => `toString(toDayOfMonth(${x}))`,
  k: (x) => `toString(toHour(${x}))`,
  l: (x) => `toString(((toHour(${x}) + 11) % 12) + 1)`,
  w: (x) => `toString(toDayOfWeek(${x}) % 7)`,
  f: (x) => `leftPad(toString(toUnixTimestamp64Milli(${asTs(x)}) % 1000 * 1000), 6, '0')`,
};

/** date_format(ts, '%Y-%m-%d %H:%i'): runs of plain specifiers and text become one formatDateTime. */
function formatSql(call: Call, x: string, format: string): string {
  const parts: string[] = [];
  let run = '';
  const flush = () => { if (run) parts.push(`formatDateTime(${x}, ${str(run)}, 'UTC')`); run = ''; };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') { run += c; continue; }
    const spec = format[++i] ?? '';
    const mapped = Object.hasOwn(FORMAT_SPECIFIERS, spec) ? FORMAT_SPECIFIERS[spec] : undefined;
    if (mapped === undefined) fail('NOT_SUPPORTED', call.args[1], `${call.name}() format specifier %${spec} is not supported`);
    if (typeof mapped === 'string') run += mapped;
    else { flush(); parts.push(mapped(x)); }
  }
  flush();
  return parts.length === 0 ? "''" : parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`;
}

const dateFormat: FunctionCompiler = (call) => {
  arity(call, 2);
  const x = call.ex.compile(call.args[0]);
  return { sql: formatSql(call, x.sql, call.ex.literal(call.args[1], call.name)), type: 'varchar' };
};

/** Specifiers parseDateTime reads the way Trino's date_parse does. */
const PARSE_SPECIFIERS = new Set(['Y', 'y', 'm', 'd', 'e', 'H', 'I', 'h', 'i', 'S', 's', 'j', 'p', 'a', 'b', 'T', 'f', '%']);

const dateParse: FunctionCompiler = (call) => {
  arity(call, 2);
  const s = call.ex.compile(call.args[0]);
  const format = call.ex.literal(call.args[1], call.name).replace(/%(.)/g, (_m, spec: string) => {
    if (!PARSE_SPECIFIERS.has(spec)) fail('NOT_SUPPORTED', call.args[1], `date_parse() format specifier %${spec} is not supported`);
    return spec === 'h' ? '%I' : spec === 's' ? '%S' : spec === 'T' ? '%H:%i:%S' : `%${spec}`;
  });
  // %f (fraction of a second) needs the sub-second parser; ours keeps milliseconds, as Trino's timestamp(3).
  const fn = /%f/.test(format) ? 'parseDateTime64' : 'parseDateTime';
  return { sql: asTs(`${fn}(${s.sql}, ${str(format)}, 'UTC')`), type: TS };
};

/** Trino's parse_datetime: a Joda-Time pattern (`yyyy-MM-dd''T''HH:mm:ss.SSS''Z'`). */
const parseDatetime: FunctionCompiler = (call) => {
  arity(call, 2);
  const s = call.ex.compile(call.args[0]);
  return { sql: asTs(`parseDateTime64InJodaSyntax(${s.sql}, ${str(closeJodaQuote(call.ex.literal(call.args[1], call.name)))}, 'UTC')`), type: TS };
};

/**
 * Joda-Time reads a quoted literal left open to the end of the pattern (AWS's ALB example writes
 * `…SSSSSS''Z'`, i.e. `…SSSSSS'Z`); ClickHouse wants it closed.
 */
function closeJodaQuote(format: string): string {
  let open = false;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "'") continue;
    if (format[i + 1] === "'") i++;
    else open = !open;
  }
  return open ? `${format}'` : format;
}

const one = (f: (x: Typed) => Typed): FunctionCompiler => (call) => { arity(call, 1); return f(call.ex.compile(call.args[0])); };
const none = (sql: string, type: string): FunctionCompiler => (call) => { arity(call, 0); return { sql, type }; };

export const DATETIME_FUNCTIONS: Record<string, FunctionCompiler> = {
  now: none("now64(3, 'UTC')", TS),
  current_timestamp: none("now64(3, 'UTC')", TS),
  localtimestamp: none("now64(3, 'UTC')", TS),
  current_date: none("toDate32(now('UTC'))", 'date'),
  date_trunc: dateTrunc,
  date_add: dateAdd,
  date_diff: dateDiff,
  date_format: dateFormat,
  date_parse: dateParse,
  parse_datetime: parseDatetime,
  from_unixtime: one((x) => ({ sql: `fromUnixTimestamp64Milli(toInt64(floor(toFloat64(${x.sql}) * 1000)), 'UTC')`, type: TS })),
  to_unixtime: one((x) => ({ sql: `(toUnixTimestamp64Milli(${asTs(x.sql)}) / 1000)`, type: 'double' })),
  from_iso8601_timestamp: one((x) => ({ sql: `parseDateTime64BestEffort(${x.sql}, 3, 'UTC')`, type: TS })),
  from_iso8601_date: one((x) => ({ sql: `toDate32(parseDateTime64BestEffort(${x.sql}, 3, 'UTC'))`, type: 'date' })),
  to_iso8601: one((x) => ({
    sql: x.type === 'date' ? `toString(${x.sql})` : `concat(replaceOne(toString(${asTs(x.sql)}), ' ', 'T'), 'Z')`, type: 'varchar',
  })),
  date: one((x) => ({ sql: `toDate32(${x.sql})`, type: 'date' })),
  millisecond: one((x) => ({ sql: `toInt64(toUnixTimestamp64Milli(${asTs(x.sql)}) % 1000)`, type: 'bigint' })),
};
for (const field of Object.keys(EXTRACT)) DATETIME_FUNCTIONS[field] = extractFn(field);
