// End-to-end (Chromium via playwright-core, real server): the X-Ray page's configuration tabs.
// A sampling rule made in the form is what GetSamplingRules returns (with its tags), and the
// statistics SDKs report for it show in its row; a group made in the form narrows the Traces tab
// (map and list) to its filter, with each trace's root cause; the Settings tab sets the encryption
// config and adds and deletes a resource policy. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  GetEncryptionConfigCommand, GetGroupCommand, GetSamplingRulesCommand, GetSamplingTargetsCommand, ListResourcePoliciesCommand, ListTagsForResourceCommand,
  PutTraceSegmentsCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let xray: XRayClient;

const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const tab = (name: string) => page.getByRole('tablist', { name: 'X-Ray sections' }).getByRole('tab', { name });

before(async () => {
  server = await startTestServer({ modules: ['logs', 'xray'] });
  xray = new XRayClient(sdkConfig(server.url));
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  xray?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('sampling rules: create with tags, the statistics SDKs report, edit, delete', async () => {
  await go('/traces');
  await tab('Sampling rules').click();
  await page.getByRole('table', { name: 'Sampling rules' }).getByRole('link', { name: 'Default' }).waitFor();
  await page.getByRole('button', { name: 'Create sampling rule' }).click();
  const form = page.getByRole('form', { name: 'Sampling rule' });
  await form.getByLabel('Rule name').fill('checkout');
  await form.getByLabel(/^Priority/).fill('10');
  await form.getByLabel(/^Reservoir/).fill('2');
  await form.getByLabel(/^Fixed rate/).fill('5');
  await form.getByLabel('Service name').fill('checkout');
  await form.getByLabel(/^Tags/).fill('team=shop');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await page.getByRole('status').getByText('Created sampling rule checkout').waitFor();
  const rule = (await xray.send(new GetSamplingRulesCommand({}))).SamplingRuleRecords!.find((r) => r.SamplingRule!.RuleName === 'checkout')!.SamplingRule!;
  assert.deepEqual([rule.Priority, rule.ReservoirSize, rule.FixedRate, rule.ServiceName, rule.HTTPMethod], [10, 2, 0.05, 'checkout', '*']);
  assert.deepEqual((await xray.send(new ListTagsForResourceCommand({ ResourceARN: rule.RuleARN }))).Tags, [{ Key: 'team', Value: 'shop' }]);

  // Two SDK instances report what they saw under the rule.
  for (const [client, requests, sampled] of [['a'.repeat(24), 40, 3], ['b'.repeat(24), 10, 1]] as const) {
    await xray.send(new GetSamplingTargetsCommand({ SamplingStatisticsDocuments: [{ RuleName: 'checkout', ClientID: client, Timestamp: new Date(), RequestCount: requests, SampledCount: sampled, BorrowCount: 0 }] }));
  }
  await page.reload();
  const row = page.getByRole('table', { name: 'Sampling rules' }).getByRole('row').filter({ has: page.getByRole('link', { name: 'checkout' }) });
  assert.match(await row.innerText(), /checkout\s+10\s+2\/s\s+5 %\s+checkout\s+\*\s+\*\s+\*\s+\*\s+50\s+4\s+0/);
  await shot('xray-sampling-rules');

  await row.getByRole('link', { name: 'checkout' }).click();
  await form.getByLabel(/^Fixed rate/).fill('20');
  await form.getByLabel(/^Tags/).fill('team=payments');
  await form.getByRole('button', { name: 'Save rule' }).click();
  await page.getByRole('status').getByText('Saved sampling rule checkout').waitFor();
  const saved = (await xray.send(new GetSamplingRulesCommand({}))).SamplingRuleRecords!.find((r) => r.SamplingRule!.RuleName === 'checkout')!.SamplingRule!;
  assert.equal(saved.FixedRate, 0.2);
  assert.deepEqual((await xray.send(new ListTagsForResourceCommand({ ResourceARN: rule.RuleARN }))).Tags, [{ Key: 'team', Value: 'payments' }]);

  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete rule' }).click();
  await page.getByRole('status').getByText('Deleted sampling rule checkout').waitFor();
  assert.equal((await xray.send(new GetSamplingRulesCommand({}))).SamplingRuleRecords!.some((r) => r.SamplingRule!.RuleName === 'checkout'), false);
});

function trace(fault: boolean): { traceId: string; docs: string[] } {
  const now = Date.now() / 1000 - 20;
  const traceId = `1-${Math.floor(now).toString(16)}-${randomBytes(12).toString('hex')}`;
  const call = randomBytes(8).toString('hex');
  const root = {
    trace_id: traceId, id: randomBytes(8).toString('hex'), name: 'storefront', start_time: now, end_time: now + 0.3, fault,
    http: { request: { method: 'GET', url: 'http://shop.local/cart' }, response: { status: fault ? 500 : 200 } },
    subsegments: [{ id: call, name: 'inventory', namespace: 'remote', start_time: now + 0.01, end_time: now + 0.2, fault }],
  };
  const inventory = {
    trace_id: traceId, id: randomBytes(8).toString('hex'), parent_id: call, name: 'inventory', start_time: now + 0.02, end_time: now + 0.19, fault,
    ...(fault ? { cause: { exceptions: [{ id: randomBytes(8).toString('hex'), type: 'StockUnavailable', message: 'sku 42 has no stock row' }] } } : {}),
  };
  return { traceId, docs: [JSON.stringify(root), JSON.stringify(inventory)] };
}

test('a group made in the form narrows the Traces tab to its filter; root causes in the list', async () => {
  const bad = trace(true);
  const good = trace(false);
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [...bad.docs, ...good.docs] }));
  await go('/traces?tab=groups');
  await page.getByRole('button', { name: 'Create group' }).click();
  const form = page.getByRole('form', { name: 'Group' });
  await form.getByLabel('Group name').fill('faults');
  await form.getByLabel('Filter expression').fill('fault AND responsetime >');
  await form.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('alert').getByText(/InvalidRequestException/).waitFor();
  await form.getByLabel('Filter expression').fill('fault');
  await form.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('status').getByText('Created group faults').waitFor();
  assert.equal((await xray.send(new GetGroupCommand({ GroupName: 'faults' }))).Group!.FilterExpression, 'fault');

  const groupRow = page.getByRole('table', { name: 'Groups' }).getByRole('row').filter({ hasText: 'faults' });
  await groupRow.getByRole('button', { name: 'View traces' }).click();
  await page.waitForURL((u) => u.searchParams.get('group') === 'faults');
  assert.equal(await page.getByLabel('Group').inputValue(), 'faults');
  const list = page.getByRole('table', { name: 'Traces' });
  const badRow = list.getByRole('row').filter({ has: page.getByRole('link', { name: bad.traceId }) });
  await badRow.waitFor();
  assert.equal(await list.getByRole('link', { name: good.traceId }).count(), 0, 'the OK trace is not in the group');
  assert.match(await badRow.innerText(), /Fault: inventory \(StockUnavailable\)/);
  await shot('xray-group-traces');

  await page.getByLabel('Group').selectOption('Default');
  await list.getByRole('link', { name: good.traceId }).waitFor();
});

test('settings: the encryption config and resource policies', async () => {
  await go('/traces?tab=settings');
  await page.getByLabel('Current encryption').getByText(/Default encryption/).waitFor();
  const enc = page.getByRole('form', { name: 'Encryption' });
  await enc.getByLabel('Encryption type').selectOption('KMS');
  await enc.getByLabel(/^KMS key/).fill('alias/traces');
  await enc.getByRole('button', { name: 'Save encryption' }).click();
  await page.getByRole('status').getByText('Trace data is now encrypted with arn:aws:kms:us-east-1:000000000000:alias/traces').waitFor();
  assert.equal((await xray.send(new GetEncryptionConfigCommand({}))).EncryptionConfig!.Type, 'KMS');

  const put = page.getByRole('form', { name: 'Put resource policy' });
  await put.getByLabel('Policy name').fill('sns-tracing');
  await put.getByLabel(/^Policy document/).fill('{"Statement": [{"Effect": "Allow"}]}');
  await put.getByRole('button', { name: 'Save policy' }).click();
  await page.getByRole('alert').getByText(/MalformedPolicyDocumentException/).waitFor();
  await put.getByLabel('Policy name').fill('sns-tracing');
  await put.getByLabel(/^Policy document/).fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'xray:PutTraceSegments', Resource: '*' }] }));
  await put.getByRole('button', { name: 'Save policy' }).click();
  await page.getByRole('status').getByText('Saved resource policy sns-tracing (revision 1)').waitFor();
  const policies = page.getByRole('table', { name: 'Resource policies' });
  await policies.getByText('sns.amazonaws.com').waitFor();
  assert.match(await page.getByLabel('Segment destination').innerText(), /XRay \(ACTIVE\)\s+Traces indexed\s+100 %/);
  await shot('xray-settings');

  await policies.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete policy' }).click();
  await page.getByRole('status').getByText('Deleted resource policy sns-tracing').waitFor();
  assert.deepEqual((await xray.send(new ListResourcePoliciesCommand({}))).ResourcePolicies, []);
});
