import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileError, evaluator, NOW, queryError } from './test-support.ts';

const { value } = evaluator();
// Thursday 2024-02-29 13:47:25.250 UTC.
const at = (ts: number) => ({ message: '{"t":"2024-02-29 13:47:25"}', ts });
const THU = at(Date.UTC(2024, 1, 29, 13, 47, 25, 250));

test('bin() floors @timestamp to the period', async () => {
  assert.equal(await value('bin(5m)', THU), '2024-02-29 13:45:00.000');
  assert.equal(await value('bin(1h)', THU), '2024-02-29 13:00:00.000');
  assert.equal(await value('bin(1d)', THU), '2024-02-29 00:00:00.000');
});

test('periods are capped: bin(300s) "actually implements this as 60 seconds"', async () => {
  assert.equal(await value('bin(300s)', THU), '2024-02-29 13:47:00.000');
  assert.equal(await value('bin(90m)', THU), '2024-02-29 13:00:00.000');
  assert.equal(await value('bin(48h)', THU), '2024-02-29 00:00:00.000');
});

test('weeks start on Monday; months, quarters and years are calendar ones', async () => {
  assert.equal(await value('datefloor(@timestamp, 1w)', THU), '2024-02-26 00:00:00.000');
  assert.equal(await value('datefloor(@timestamp, 1mo)', THU), '2024-02-01 00:00:00.000');
  assert.equal(await value('datefloor(@timestamp, 1q)', THU), '2024-01-01 00:00:00.000');
  assert.equal(await value('datefloor(@timestamp, 1y)', THU), '2024-01-01 00:00:00.000');
  assert.equal(await value('dateceil(@timestamp, 1mo)', THU), '2024-03-01 00:00:00.000');
  assert.equal(await value('dateceil(@timestamp, 1w)', THU), '2024-03-04 00:00:00.000');
});

test('dateceil rounds up, and leaves a value already on a period start unchanged', async () => {
  assert.equal(await value('dateceil(@timestamp, 1h)', THU), '2024-02-29 14:00:00.000');
  assert.equal(await value('dateceil(@timestamp, 1h)', at(Date.UTC(2024, 1, 29, 13))), '2024-02-29 13:00:00.000');
});

test('datefloor takes a field holding a date as text', async () => {
  assert.equal(await value('datefloor(t, 1d)', THU), '2024-02-29 00:00:00.000');
});

test('fromMillis, toMillis and now()', async () => {
  assert.equal(await value('fromMillis(1704067385000)'), '2024-01-01 00:03:05.000');
  assert.equal(await value('toMillis(@timestamp)', THU), String(THU.ts));
  assert.equal(await value('now()'), String(NOW / 1000), 'seconds: AWS samples compare toMillis(@timestamp) with now() * 1000');
  assert.equal(await value('fromMillis(1e20)'), null, 'outside the dates a timestamp can show');
});

test('periods must be literal and positive, and bin() needs @timestamp', () => {
  assert.match(compileError('datefloor(@timestamp, x)'), /datefloor\(\) needs a time period such as 5m or 1h/);
  assert.match(compileError('bin(0m)'), /the time period 0m must be positive/);
  assert.match(queryError('stats count(*) by @logStream | fields bin(5m) as b'), /bin\(\) uses @timestamp/);
});
