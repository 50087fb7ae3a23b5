/**
 * Property/fuzz tests of Metrics Insights: parseMetricsInsights and compileMetricsInsights either
 * succeed or throw MetricsInsightsError (a ServiceError ValidationError) — never a TypeError,
 * RangeError or anything else — and terminate quickly. OSPREY_LONG=1 runs 10× the cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMetricsInsights, compileMetricsInsights, isMetricsInsightsQuery, MetricsInsightsError } from './index.ts';
import { anyString, expectOnly, fcParams, mutatedText, nested, tokenSoup } from '../../../../test/fuzz/support.ts';

const isMiError = (e: unknown): boolean => e instanceof MetricsInsightsError && e.code === 'ValidationError' && e.status === 400;
const OPTS = { account: '000000000000', region: 'us-east-1', startTime: 1_700_000_000_000, endTime: 1_700_003_600_000, period: 60 };

const TOKENS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'ORDER', 'LIMIT', 'AND', 'OR', 'NOT', 'SCHEMA', 'ASC', 'DESC', 'AVG', 'COUNT', 'MAX', 'MIN', 'SUM',
  'select', 'from', 'where', 'AVG(', 'SUM(CPUUtilization)', 'SCHEMA(', 'SCHEMA("AWS/EC2", InstanceId)', '"AWS/EC2"', 'CPUUtilization',
  'InstanceId', "'i-123'", "'", '"', '""', "''", '(', ')', ',', '=', '!=', '<', '>', 'LIKE', 'IN', "'%x%'", '10', '500', '501', '-1', '0',
  '1e3', '*', '.', '/', '\\"', "\\'", '"Count"', 'Count',
];
const validQuery = fc
  .tuple(
    fc.constantFrom('AVG', 'SUM', 'MAX', 'MIN', 'COUNT'),
    fc.constantFrom('CPUUtilization', '"Metric Name"', 'm'),
    fc.constantFrom('"AWS/EC2"', 'SCHEMA("AWS/EC2", InstanceId)', 'SCHEMA("AWS/EC2")', 'Fuzz'),
    fc.option(fc.constantFrom("InstanceId = 'i-1'", "InstanceId != 'x' AND InstanceId = 'y'")),
    fc.option(fc.constantFrom('InstanceId', 'InstanceId, AutoScalingGroupName')),
    fc.option(fc.tuple(fc.constantFrom('AVG()', 'MAX()', 'SUM()'), fc.constantFrom('ASC', 'DESC'))),
    fc.option(fc.integer({ min: 1, max: 500 })),
  )
  .map(([f, m, from, where, group, order, limit]) =>
    [`SELECT ${f}(${m}) FROM ${from}`, where && `WHERE ${where}`, group && `GROUP BY ${group}`, order && `ORDER BY ${order[0]} ${order[1]}`, limit && `LIMIT ${limit}`]
      .filter(Boolean)
      .join(' '),
  );

function exercise(q: string): void {
  expectOnly(q, () => isMetricsInsightsQuery(q), () => false, 'isMetricsInsightsQuery');
  const parsed = expectOnly(q, () => parseMetricsInsights(q), isMiError, 'parseMetricsInsights');
  if (!parsed.ok) return;
  const plan = expectOnly(q, () => compileMetricsInsights(parsed.value, OPTS), isMiError, 'compileMetricsInsights');
  if (plan.ok) assert.equal(typeof plan.value.sql, 'string');
}

test('random strings: only MetricsInsightsError', () => {
  fc.assert(fc.property(anyString(300), exercise), fcParams(1000));
});

test('grammar-aware token soup: only MetricsInsightsError', () => {
  fc.assert(fc.property(tokenSoup(TOKENS, 30), exercise), fcParams(3000));
});

test('mutated valid queries: only MetricsInsightsError', () => {
  fc.assert(fc.property(mutatedText(validQuery), exercise), fcParams(2000));
});

test('round trip: generated valid queries parse and compile', () => {
  fc.assert(
    fc.property(validQuery, (q) => {
      const p = expectOnly(q, () => parseMetricsInsights(q), () => false, 'parseMetricsInsights(valid)');
      assert.ok(p.ok);
      exercise(q);
    }),
    fcParams(300),
  );
});

test('deep nesting and long inputs: MetricsInsightsError, not a stack overflow', () => {
  const inputs = [
    `SELECT AVG(m) FROM ns WHERE ${nested('(', ')', "a = 'b'", 1000)}`,
    `SELECT AVG(m) FROM ns WHERE ${nested('NOT ', '', "a = 'b'", 500)}`,
    `SELECT AVG(m) FROM ns WHERE ${Array.from({ length: 150 }, () => "a = 'b'").join(' AND ')}`,
    `SELECT AVG(m) FROM SCHEMA(ns, ${Array.from({ length: 500 }, (_, i) => `d${i}`).join(', ')})`,
    `SELECT ${nested('AVG(', ')', 'm', 500)} FROM ns`,
    `SELECT AVG(m) FROM ns LIMIT ${'9'.repeat(400)}`,
    `SELECT AVG(m) FROM "${'\\'.repeat(2000)}"`,
    'SELECT '.repeat(400),
    'x'.repeat(2049),
  ];
  for (const q of inputs) exercise(q);
});
