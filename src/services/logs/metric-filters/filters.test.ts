import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx, Handler } from '../../../protocol/service.ts';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { LogsMetaStore } from '../../../store/meta/logs.ts';
import { MetricFiltersStore } from '../../../store/meta/metric-filters.ts';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import type { LogsOperations } from '../operations.ts';
import { metricFilterHandlers } from './index.ts';
import type { CallOutput } from '../../../protocol/operations.ts';

let meta: LogsMetaStore;
let h: ReturnType<typeof metricFilterHandlers>;
const clock = new ManualClock(1_790_000_000_000);
const ctx: Ctx = { account: '123456789012', region: 'us-east-1', principalArn: 'arn:aws:iam::123456789012:root', accessKeyId: 'k', requestId: 'r', clock, log: silentLogger };

beforeEach(async () => {
  const db = await openTestMetaDb();
  meta = new LogsMetaStore(db);
  h = metricFilterHandlers({ meta, metricFilters: new MetricFiltersStore(db) });
  for (const name of ['/app', '/other']) {
    await meta.createGroup({ account: ctx.account, region: ctx.region, name, createdAt: 1, retentionDays: null, kmsKeyId: null, logGroupClass: 'STANDARD', deletionProtection: false, tags: {} });
  }
});

// Inputs as a client would send them (some deliberately malformed); the answer typed as the operation's output with every member present.
const call = <K extends keyof LogsOperations & string>(op: K, input: unknown) =>
  Promise.resolve((h as Record<string, Handler>)[op]!(ctx, input)) as Promise<Required<CallOutput<'logs', K>>>;
const put = (over: Record<string, unknown> = {}, t: Record<string, unknown> = {}) => call('PutMetricFilter', {
  logGroupName: '/app', filterName: 'errors', filterPattern: 'ERROR',
  metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', ...t }], ...over,
});

async function rejects(p: Promise<unknown>, code: string, message?: RegExp | string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

test('PutMetricFilter then DescribeMetricFilters returns the filter as stored', async () => {
  await put({ applyOnTransformedLogs: true }, { defaultValue: 0, unit: 'Count' });
  const r = await call('DescribeMetricFilters', { logGroupName: '/app' });
  assert.deepEqual(r, {
    metricFilters: [{
      filterName: 'errors', filterPattern: 'ERROR', logGroupName: '/app', creationTime: 1_790_000_000_000, applyOnTransformedLogs: true,
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0, dimensions: undefined, unit: 'Count' }],
      fieldSelectionCriteria: undefined, emitSystemFieldDimensions: undefined,
    }],
    nextToken: undefined,
  });
});

test('PutMetricFilter on an existing name replaces it and keeps its creation time', async () => {
  await put();
  clock.advance(5000);
  await put({ filterPattern: '{ $.level = "error" }' }, { metricValue: '2' });
  const [f] = (await call('DescribeMetricFilters', { logGroupName: '/app' })).metricFilters;
  assert.equal(f.filterPattern, '{ $.level = "error" }');
  assert.equal(f.metricTransformations![0].metricValue, '2');
  assert.equal(f.creationTime, 1_790_000_000_000);
});

test('PutMetricFilter refuses an unknown log group and an invalid pattern', async () => {
  await rejects(put({ logGroupName: '/nope' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
  await rejects(put({ filterPattern: '{ $.x = ' }), 'InvalidParameterException', /^Invalid filter pattern/);
});

test('a log group holds at most 100 metric filters; replacing one at the limit is fine', async () => {
  for (let i = 0; i < 100; i++) await put({ filterName: `f${String(i).padStart(3, '0')}` });
  await rejects(put({ filterName: 'one-too-many' }), 'LimitExceededException', 'Resource limit exceeded.');
  await put({ filterName: 'f000', filterPattern: 'WARN' });
  await put({ logGroupName: '/other', filterName: 'one-too-many' });
});

test('a log group holds at most 5 regular expressions across its filter patterns', async () => {
  await put({ filterName: 'a', filterPattern: '%ERR[0-9]%' });
  await put({ filterName: 'b', filterPattern: '{ $.a = %x% || $.b = %y% }' });
  await put({ filterName: 'c', filterPattern: '[w1 = %a%, w2 = %b%]' });
  await rejects(put({ filterName: 'd', filterPattern: '%z%' }), 'LimitExceededException', /5 regular expressions/);
  // Replacing a filter gives back its regexes.
  await put({ filterName: 'c', filterPattern: '[w1 = %a%, w2]' });
  await put({ filterName: 'd', filterPattern: '%z%' });
});

test('metricValue must be a number or a field reference', async () => {
  await rejects(put({}, { metricValue: 'one' }), 'InvalidParameterException', /Invalid metric value 'one'/);
  await put({ filterName: 'a' }, { metricValue: '2.5' });
  await put({ filterName: 'b', filterPattern: '{ $.latency = * }' }, { metricValue: '$.latency' });
  await put({ filterName: 'c', filterPattern: '[ip, user, size]' }, { metricValue: '$size' });
});

test('dimensions: at most 3, fields only, JSON or space-delimited patterns only, never with a default value', async () => {
  await put({ filterPattern: '{ $.x = * }' }, { dimensions: { A: '$.a', B: '$.b', C: '$.c' } });
  await rejects(put({ filterPattern: '{ $.x = * }' }, { dimensions: { A: '$.a', B: '$.b', C: '$.c', D: '$.d' } }),
    'InvalidParameterException', /at most 3 dimensions/);
  await rejects(put({ filterPattern: '{ $.x = * }' }, { dimensions: { A: '$.a' }, defaultValue: 0 }),
    'InvalidParameterException', 'Invalid metric transformation: dimensions and default value are mutually exclusive properties');
  await rejects(put({ filterPattern: 'ERROR' }, { dimensions: { A: '$.a' } }),
    'InvalidParameterException', 'The specified filter pattern does not support dimensions');
  await rejects(put({ filterPattern: '{ $.x = * }' }, { dimensions: { Env: 'prod' } }), 'InvalidParameterException', /Invalid dimension value 'prod'/);
  await rejects(put({ filterPattern: '{ $.x = * }' }, { dimensions: { ':x': '$.a' } }), 'InvalidParameterException', /Invalid dimension name/);
  await put({ filterName: 'delimited', filterPattern: '[ip, user, status, size]' }, { metricValue: '$size', dimensions: { Status: '$status' } });
  // An empty dimension map is no dimensions, so a default value is fine.
  await put({ filterName: 'empty-dims' }, { dimensions: {}, defaultValue: 0 });
});

test('DescribeMetricFilters sorts by name, filters by prefix (with a group), by metric, and pages', async () => {
  await put({ filterName: 'b-errors' });
  await put({ filterName: 'a-latency', filterPattern: '{ $.l = * }' }, { metricName: 'Latency', metricValue: '$.l' });
  await put({ filterName: 'B-upper' });
  await put({ logGroupName: '/other', filterName: 'a-latency' }, { metricName: 'Latency' });
  const names = (r: { metricFilters: { logGroupName?: string; filterName?: string }[] }) => r.metricFilters.map((f) => `${f.logGroupName}:${f.filterName}`);

  assert.deepEqual(names(await call('DescribeMetricFilters', {})), ['/app:B-upper', '/app:a-latency', '/other:a-latency', '/app:b-errors']);
  assert.deepEqual(names(await call('DescribeMetricFilters', { logGroupName: '/app', filterNamePrefix: 'a-' })), ['/app:a-latency']);
  // Without logGroupName the prefix is ignored, as documented.
  assert.equal((await call('DescribeMetricFilters', { filterNamePrefix: 'a-' })).metricFilters.length, 4);
  assert.deepEqual(names(await call('DescribeMetricFilters', { metricName: 'Latency', metricNamespace: 'App' })), ['/app:a-latency', '/other:a-latency']);
  await rejects(call('DescribeMetricFilters', { metricName: 'Latency' }), 'InvalidParameterException');
  await rejects(call('DescribeMetricFilters', { logGroupName: '/nope' }), 'ResourceNotFoundException');

  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await call('DescribeMetricFilters', { limit: 1, nextToken: token });
    seen.push(...names(page));
    token = page.nextToken;
  } while (token !== undefined);
  assert.deepEqual(seen, ['/app:B-upper', '/app:a-latency', '/other:a-latency', '/app:b-errors']);
  const first = await call('DescribeMetricFilters', { limit: 1 });
  await rejects(call('DescribeMetricFilters', { limit: 1, logGroupName: '/app', nextToken: first.nextToken }), 'InvalidParameterException', 'The specified nextToken is invalid.');
});

test('DeleteMetricFilter removes the filter; unknown filters and groups are ResourceNotFound', async () => {
  await put();
  await call('DeleteMetricFilter', { logGroupName: '/app', filterName: 'errors' });
  assert.deepEqual((await call('DescribeMetricFilters', { logGroupName: '/app' })).metricFilters, []);
  await rejects(call('DeleteMetricFilter', { logGroupName: '/app', filterName: 'errors' }), 'ResourceNotFoundException', 'The specified metric filter does not exist.');
  await rejects(call('DeleteMetricFilter', { logGroupName: '/nope', filterName: 'errors' }), 'ResourceNotFoundException', 'The specified log group does not exist.');
});

test('TestMetricFilter numbers matches from 1 and extracts space-delimited fields only', async () => {
  const r = await call('TestMetricFilter', { filterPattern: 'ERROR', logEventMessages: ['[ERROR] 400 BAD REQUEST', '[ERROR] 400 BAD REQUEST', '[INFO] 200 OK'] });
  assert.deepEqual(r, { matches: [
    { eventNumber: 1, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} },
    { eventNumber: 2, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} },
  ] });
  const apache = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';
  const d = await call('TestMetricFilter', { filterPattern: '[..., status_code=200, size]', logEventMessages: ['no match here at all', apache] });
  assert.deepEqual(d.matches, [{
    eventNumber: 2, eventMessage: apache,
    extractedValues: { $1: '127.0.0.1', $2: '-', $3: 'frank', $4: '10/Oct/2000:13:25:15 -0700', $5: 'GET /apache_pb.gif HTTP/1.0', $status_code: '200', $size: '1534' },
  }]);
  const j = await call('TestMetricFilter', { filterPattern: '{ $.latency > 10 }', logEventMessages: ['{"latency": 50}', '{"latency": 5}'] });
  assert.deepEqual(j.matches, [{ eventNumber: 1, eventMessage: '{"latency": 50}', extractedValues: {} }]);
  await rejects(call('TestMetricFilter', { filterPattern: '[a, b', logEventMessages: ['x'] }), 'InvalidParameterException');
});
