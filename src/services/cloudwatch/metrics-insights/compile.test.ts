// Compilation without an engine: what gets bound, what the options do, and how series are named.
// The SQL's results are checked against data in run.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMetricsInsights, type CompileOptions } from './compile.ts';
import { seriesLabel } from './label.ts';
import { parseMetricsInsights } from './parse.ts';

const OPTS: CompileOptions = { account: '123456789012', region: 'eu-west-1', startTime: 1_704_067_200_000, endTime: 1_704_070_800_000, period: 300 };

const compile = (query: string, opts: Partial<CompileOptions> = {}) => compileMetricsInsights(parseMetricsInsights(query), { ...OPTS, ...opts });

/** The placeholder a value was bound to, e.g. `{p3:String}`. */
function placeholder(plan: { params: Record<string, unknown> }, value: unknown, type: string): string {
  const name = Object.keys(plan.params).find((k) => plan.params[k] === value);
  assert.ok(name !== undefined, `${String(value)} is not bound`);
  return `{${name}:${type}}`;
}

test('every user literal is bound as a parameter, never spliced into the SQL', () => {
  const evil = "x') OR 1=1 --";
  const query = `SELECT SUM("${evil}") FROM SCHEMA("ns'; DROP TABLE metric_raw", "k\\"ey", other)`
    + ` WHERE "k\\"ey" = '${evil.replace(/'/g, "\\'")}' AND other != 'v\\\\' GROUP BY "k\\"ey" LIMIT 7`;
  const plan = compile(query);
  for (const literal of [evil, "ns'; DROP TABLE metric_raw", 'k"ey', 'other', 'v\\']) {
    assert.ok(!plan.sql.includes(literal), `${literal} appears in the SQL`);
    assert.ok(Object.values(plan.params).includes(literal), `${literal} is not a parameter`);
  }
  assert.match(plan.sql, new RegExp(`metric_name = ${escape(placeholder(plan, evil, 'String'))}`));
  assert.match(plan.sql, new RegExp(`LIMIT ${escape(placeholder(plan, 7, 'UInt32'))}`));
  // No quote character of the query reaches the SQL text at all.
  assert.ok(!/['"]/.test(plan.sql));
});

test('account, region and the time range are bound too', () => {
  const plan = compile('SELECT AVG(x) FROM ns');
  assert.match(plan.sql, new RegExp(`account = ${escape(placeholder(plan, OPTS.account, 'String'))}`));
  assert.match(plan.sql, new RegExp(`region = ${escape(placeholder(plan, OPTS.region, 'String'))}`));
  assert.match(plan.sql, new RegExp(`ts >= ${escape(placeholder(plan, OPTS.startTime, 'Int64'))}`));
  assert.match(plan.sql, new RegExp(`ts < ${escape(placeholder(plan, OPTS.endTime, 'Int64'))}`));
  assert.ok(Object.values(plan.params).includes(300_000), 'period in ms');
});

test('without LIMIT at most 500 series are returned', () => {
  const plan = compile('SELECT AVG(x) FROM ns GROUP BY k');
  assert.match(plan.sql, new RegExp(`LIMIT ${escape(placeholder(plan, 500, 'UInt32'))}`));
});

test('a period under one minute is aggregated at one minute (Metrics Insights has no high-resolution data)', () => {
  assert.ok(Object.values(compile('SELECT AVG(x) FROM ns', { period: 10 }).params).includes(60_000));
  assert.ok(Object.values(compile('SELECT AVG(x) FROM ns', { period: 60 }).params).includes(60_000));
  assert.ok(Object.values(compile('SELECT AVG(x) FROM ns', { period: 3600 }).params).includes(3_600_000));
});

test('SCHEMA keys are a set: order and repeats do not change the dimension count asked for', () => {
  const a = compile('SELECT AVG(x) FROM SCHEMA(ns, b, a, b)');
  const b = compile('SELECT AVG(x) FROM SCHEMA(ns, a, b)');
  assert.match(a.sql, new RegExp(`length\\(dimensions\\) = ${escape(placeholder(a, 2, 'UInt64'))}`));
  assert.match(b.sql, new RegExp(`length\\(dimensions\\) = ${escape(placeholder(b, 2, 'UInt64'))}`));
  const none = compile('SELECT AVG(x) FROM SCHEMA(ns)');
  assert.match(none.sql, new RegExp(`length\\(dimensions\\) = ${escape(placeholder(none, 0, 'UInt64'))}`));
  assert.ok(!/length\(dimensions\)/.test(compile('SELECT AVG(x) FROM ns').sql), 'FROM ns takes any dimension set');
});

test('the table can be named, but only as a plain identifier', () => {
  assert.match(compile('SELECT AVG(x) FROM ns', { table: 'osprey.metric_points' }).sql, /FROM osprey\.metric_points\n/);
  assert.throws(() => compile('SELECT AVG(x) FROM ns', { table: 'metric_raw; DROP TABLE x' }), RangeError);
});

test('options that cannot describe a time range are programming errors', () => {
  assert.throws(() => compile('SELECT AVG(x) FROM ns', { period: 0 }), RangeError);
  assert.throws(() => compile('SELECT AVG(x) FROM ns', { period: 1.5 }), RangeError);
  assert.throws(() => compile('SELECT AVG(x) FROM ns', { startTime: Number.NaN }), RangeError);
});

test('a grouped series is labelled by its group values, space-separated, the null group as Other', () => {
  const q = parseMetricsInsights('SELECT AVG(CPUUtilization) FROM "AWS/EC2" GROUP BY InstanceId, InstanceType');
  assert.equal(seriesLabel(q, ['i-123', 'm5.large']), 'i-123 m5.large');
  assert.equal(seriesLabel(q, ['i-123', null]), 'i-123 Other');
  assert.equal(seriesLabel(q, [null, null]), 'Other Other');
});

test('the single series of a query without GROUP BY is labelled with the metric name', () => {
  assert.equal(seriesLabel(parseMetricsInsights('SELECT AVG("My.Metric") FROM SCHEMA("AWS/EC2")'), []), 'My.Metric');
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
