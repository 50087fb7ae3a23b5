import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectionOf, templateRegex } from './projection.ts';

const keys = (...names: string[]) => names.map((name) => ({ name, type: 'string' }));

test('a date template becomes one path regex with a group per key, and conditions on the projected values', () => {
  const p = projectionOf('s3://b/AWSLogs/1/CloudTrail/', keys('region', 'day'), {
    'projection.enabled': 'true', 'projection.region.type': 'enum', 'projection.region.values': 'us-east-1,eu-west-1',
    'projection.day.type': 'date', 'projection.day.format': 'yyyy/MM/dd', 'projection.day.range': '2020/01/01,NOW-1DAYS',
    'storage.location.template': 's3://b/AWSLogs/1/CloudTrail/${region}/${day}',
  })!;
  assert.deepEqual(p.base, { bucket: 'b', prefix: 'AWSLogs/1/CloudTrail/' });
  const { regex, order } = templateRegex(p);
  assert.deepEqual(order, ['region', 'day']);
  assert.equal(regex, '([^/]+)/(\\d{4}/\\d{2}/\\d{2})/');
  assert.ok(new RegExp(`^${regex}`).test('us-east-1/2024/01/31/file.json.gz'));
  assert.equal(p.keys.get('region')!.condition!('v'), "v IN ('us-east-1', 'eu-west-1')");
  assert.match(p.keys.get('day')!.condition!('v'), /BETWEEN parseDateTimeInJodaSyntax\('2020\/01\/01', 'yyyy\/MM\/dd', 'UTC'\) AND now\(\) - INTERVAL 1 DAY/);
});

test('without a template the Hive layout is projected; bad configurations are refused', () => {
  const p = projectionOf('s3://b/t/', keys('dt'), { 'projection.enabled': 'true', 'projection.dt.type': 'integer', 'projection.dt.range': '1,12' })!;
  assert.equal(templateRegex(p).regex, 'dt=(-?\\d+)/');
  assert.equal(projectionOf('s3://b/t/', keys('dt'), {}), undefined);
  assert.throws(() => projectionOf('s3://b/t/', keys('dt'), { 'projection.enabled': 'true', 'projection.dt.type': 'enum' }), /projection.dt.values is required/);
  assert.throws(() => projectionOf('s3://b/t/', keys('dt'), { 'projection.enabled': 'true', 'projection.dt.type': 'injected', 'storage.location.template': 's3://b/t/${other}' }), /does not contain \$\{dt\}/);
});
