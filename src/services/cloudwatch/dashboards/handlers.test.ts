import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { DashboardStore } from '../../../store/meta/dashboards.ts';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import type { CloudWatchOperations } from '../operations.ts';
import { dashboardHandlers } from './index.ts';
import type { CallOutput } from '../../../protocol/operations.ts';

const clock = new ManualClock(1_790_000_000_000);
const ctx = (account = '123456789012', region = 'us-east-1'): Ctx =>
  ({ account, region, principalArn: `arn:aws:iam::${account}:root`, accessKeyId: 'k', requestId: 'r', clock, log: silentLogger });
let repo: DashboardStore;
let h: ReturnType<typeof dashboardHandlers>;

beforeEach(async () => {
  repo = new DashboardStore(await openTestMetaDb());
  h = dashboardHandlers(repo);
});

// Tests send inputs as a client would (some deliberately malformed), so the table is called untyped here.
const untyped = (op: string) => (h as Record<string, (c: Ctx, input: unknown) => unknown>)[op]!;
// The answer is typed as the operation's output with every member present, as these tests expect.
const call = <K extends keyof CloudWatchOperations & string>(op: K, input: unknown, c = ctx()) =>
  Promise.resolve(untyped(op)(c, input)) as Promise<Required<CallOutput<'cloudwatch', K>>>;
const BODY = JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 3, properties: { markdown: '# Héllo' } }] });
const put = (name: string, body = BODY, c = ctx()) => call('PutDashboard', { DashboardName: name, DashboardBody: body }, c);

async function rejects(p: Promise<unknown>, code: string, check?: (e: ServiceError) => void) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, code);
    check?.(e);
    return true;
  });
}

test('PutDashboard stores the body verbatim and GetDashboard returns it with a region-less ARN', async () => {
  assert.deepEqual(await put('ops'), { DashboardValidationMessages: [] });
  assert.deepEqual(await call('GetDashboard', { DashboardName: 'ops' }, ctx(undefined, 'eu-west-1')), {
    DashboardArn: 'arn:aws:cloudwatch::123456789012:dashboard/ops',
    DashboardBody: BODY,
    DashboardName: 'ops',
  });
});

test('PutDashboard replaces an existing dashboard and ListDashboards reports its size in bytes and time', async () => {
  await put('ops');
  clock.advance(60_000);
  const body = '{"widgets":[]}';
  await put('ops', body);
  const out = await call('ListDashboards', {});
  assert.deepEqual(out, { DashboardEntries: [{
    DashboardName: 'ops', DashboardArn: 'arn:aws:cloudwatch::123456789012:dashboard/ops',
    LastModified: new Date(clock.now()), Size: 14,
  }], NextToken: undefined });
  await put('ops', BODY);
  assert.equal((await call('ListDashboards', {})).DashboardEntries[0].Size, Buffer.byteLength(BODY));
  assert.notEqual(Buffer.byteLength(BODY), BODY.length); // the é counts twice
});

test('an invalid body is refused with InvalidParameterInput, the AWS message and the validation list', async () => {
  const body = JSON.stringify({ widgets: [{ type: 'text', properties: {} }, { type: 'metric', properties: { region: 'us-east-1' } }] });
  await rejects(put('bad', body), 'InvalidParameterInput', (e) => {
    assert.equal(e.status, 400);
    assert.match(e.message, /^The dashboard body is invalid, there are 4 validation errors:\n\[\n {2}\{\n {4}"dataPath": "\/widgets\/0\/properties",/);
    assert.deepEqual(e.fields, { dashboardValidationMessages: [
      { DataPath: '/widgets/0/properties', Message: "Should have required property 'markdown'" },
      { DataPath: '/widgets/1/properties', Message: "Should have required property 'metrics'" },
      { DataPath: '/widgets/1/properties', Message: 'The metric widget should have specified a region and a data source or an alarm annotation' },
      { DataPath: '/widgets/1/properties', Message: "Should have required property 'annotations'" },
    ] });
  });
  await rejects(put('bad', '{"widgets": ['), 'InvalidParameterInput', (e) =>
    assert.equal(e.message, 'The field DashboardBody must be a valid JSON object'));
  await rejects(call('GetDashboard', { DashboardName: 'bad' }), 'DashboardNotFoundError');
});

test('dashboard names are letters, digits, dash and underscore, up to 255', async () => {
  for (const name of ['has space', 'a:b', 'ü', '']) {
    await rejects(put(name), 'InvalidParameterValue', (e) => assert.match(e.message, /DashboardName contains invalid characters/));
  }
  await rejects(put('x'.repeat(256)), 'InvalidParameterValue');
  await put('A-z_09'.padEnd(255, 'x'));
});

test('GetDashboard of an unknown name is DashboardNotFoundError (ResourceNotFound, 404 via the model)', async () => {
  await rejects(call('GetDashboard', { DashboardName: 'nope' }), 'DashboardNotFoundError', (e) =>
    assert.equal(e.message, 'Dashboard nope does not exist.'));
});

test('dashboards are scoped by account and shared across regions', async () => {
  await put('shared', BODY, ctx('111111111111', 'us-east-1'));
  assert.equal((await call('GetDashboard', { DashboardName: 'shared' }, ctx('111111111111', 'ap-south-1'))).DashboardName, 'shared');
  await rejects(call('GetDashboard', { DashboardName: 'shared' }, ctx('222222222222')), 'DashboardNotFoundError');
  assert.deepEqual((await call('ListDashboards', {}, ctx('222222222222'))).DashboardEntries, []);
});

test('ListDashboards filters by case-sensitive prefix and pages by 1000 with an opaque token', async () => {
  for (let i = 0; i < 1002; i++) {
    await repo.put({ account: '123456789012', name: `d-${String(i).padStart(4, '0')}`, body: '{"widgets":[]}', lastModified: 1, size: 14 });
  }
  await put('Other');
  const first = await call('ListDashboards', { DashboardNamePrefix: 'd-' });
  assert.equal(first.DashboardEntries.length, 1000);
  assert.equal(first.DashboardEntries[0].DashboardName, 'd-0000');
  assert.equal(typeof first.NextToken, 'string');
  const second = await call('ListDashboards', { DashboardNamePrefix: 'd-', NextToken: first.NextToken });
  assert.deepEqual(second.DashboardEntries.map((e) => e.DashboardName), ['d-1000', 'd-1001']);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual((await call('ListDashboards', { DashboardNamePrefix: 'o' })).DashboardEntries, []);
  await rejects(call('ListDashboards', { NextToken: 'garbage' }), 'InvalidParameterValue');
});

test('DeleteDashboards is all or nothing', async () => {
  await put('a');
  await put('b');
  await rejects(call('DeleteDashboards', { DashboardNames: ['a', 'missing', 'b'] }), 'DashboardNotFoundError', (e) =>
    assert.equal(e.message, 'The specified dashboard does not exist.'));
  assert.equal((await call('ListDashboards', {})).DashboardEntries.length, 2);
  assert.deepEqual(await call('DeleteDashboards', { DashboardNames: ['a', 'b', 'a'] }), {});
  assert.deepEqual((await call('ListDashboards', {})).DashboardEntries, []);
});

test('DeleteDashboards refuses an empty list of names', async () => {
  await put('a');
  await rejects(call('DeleteDashboards', { DashboardNames: [] }), 'InvalidParameterValue', (e) => assert.equal(e.message, 'Need at least 1 dashboard.'));
  assert.equal((await call('ListDashboards', {})).DashboardEntries.length, 1);
});

test('dashboard ARNs are regionless but in the partition of the calling region', async () => {
  await put('p');
  assert.equal((await call('GetDashboard', { DashboardName: 'p' }, ctx(undefined, 'cn-northwest-1'))).DashboardArn,
    'arn:aws-cn:cloudwatch::123456789012:dashboard/p');
  assert.equal((await call('GetDashboard', { DashboardName: 'p' }, ctx(undefined, 'us-gov-east-1'))).DashboardArn,
    'arn:aws-us-gov:cloudwatch::123456789012:dashboard/p');
});
