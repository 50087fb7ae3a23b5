import { test } from 'node:test';
import assert from 'node:assert/strict';
import { athenaType, renderValue } from './column-types.ts';

test('ClickHouse types map to the Athena types GetQueryResults reports', () => {
  const cases: [string, string][] = [
    ['String', 'varchar'], ['LowCardinality(String)', 'varchar'], ['Nullable(String)', 'varchar'], ['UInt64', 'bigint'], ['Int32', 'integer'],
    ['Float64', 'double'], ['Bool', 'boolean'], ["DateTime64(3, 'UTC')", 'timestamp'], ['Date', 'date'], ['Decimal(10, 2)', 'decimal(10,2)'],
    ['Array(Nullable(String))', 'array(varchar)'], ['Map(LowCardinality(String), String)', 'map(varchar,varchar)'], ['Nullable(Nothing)', 'unknown'],
  ];
  for (const [ch, athena] of cases) assert.equal(athenaType(ch), athena, ch);
});

test('values render as Trino renders them', () => {
  assert.equal(renderValue(null, 'varchar'), undefined);
  assert.equal(renderValue('42', 'bigint'), '42');
  assert.equal(renderValue(true, 'boolean'), 'true');
  assert.equal(renderValue(['a', null], 'array(varchar)'), '[a, null]');
  assert.equal(renderValue({ k: 'v', n: '1' }, 'map(varchar,varchar)'), '{k=v, n=1}');
  assert.equal(renderValue('2026-01-01 10:00:00', 'timestamp'), '2026-01-01 10:00:00.000');
  assert.equal(renderValue('2026-01-01 10:00:00.123', 'timestamp'), '2026-01-01 10:00:00.123');
});

test('doubles render as Java writes them (Athena shows 2.0, not 2)', () => {
  assert.deepEqual([2, 0.5, -3, 1e7, 1.5e-4, 123456.75, 0].map((v) => renderValue(v, 'double')), ['2.0', '0.5', '-3.0', '1.0E7', '1.5E-4', '123456.75', '0.0']);
  assert.equal(renderValue(NaN, 'double'), 'NaN');
});
