// End-to-end (Chromium via playwright-core, real server): the Data streams page as a user drives it —
// create a provisioned stream, put a record and read it back in the data viewer, follow the shard
// while a gzip-compressed CloudWatch Logs record arrives (shown decompressed), reshard and change
// retention, and delete the stream. SDK v3 checks what the UI did. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Page } from 'playwright-core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisClient, DescribeStreamSummaryCommand, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let kinesis: KinesisClient;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);
const summary = async (name: string) => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
const streamRow = (name: string) => page.getByRole('table', { name: 'Data streams' }).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

before(async () => {
  server = await startTestServer({ modules: ['logs', 'cloudwatch', 'kinesis'] });
  // The Node SDK's Kinesis client speaks HTTP/2 (for SubscribeToShard); these calls use HTTP/1.1 like the browser's.
  kinesis = new KinesisClient({ ...sdkConfig(server.url), requestHandler: new NodeHttpHandler() });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  kinesis?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('creating a provisioned stream lists it with its mode, shards and retention', async () => {
  await go('/streams');
  await page.getByText('No data streams yet').waitFor();
  const form = page.getByRole('form', { name: 'Create data stream' });
  await form.getByLabel('Name').fill('clicks');
  await form.getByLabel('Provisioned').check();
  await form.getByLabel('Provisioned shards').fill('2');
  await form.getByRole('button', { name: 'Create data stream' }).click();
  await form.getByRole('status').filter({ hasText: 'Creating data stream clicks' }).waitFor();
  const row = streamRow('clicks');
  await row.getByText('ACTIVE').waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /ACTIVE\s+Provisioned\s+2\s+24 hours/);
  assert.equal((await summary('clicks')).OpenShardCount, 2);
  await shot('streams-list');
});

test('a record put from the page shows in the data viewer, decoded', async () => {
  await go('/streams');
  await streamRow('clicks').getByRole('link', { name: 'Data viewer' }).click();
  const put = page.getByRole('form', { name: 'Put test record' });
  await put.getByLabel('Partition key').fill('user-1');
  await put.getByLabel('Data').fill('{"page":"/home","ms":12}');
  await put.getByRole('button', { name: 'Put record' }).click();
  const notice = put.getByRole('status').filter({ hasText: 'Put record in' });
  await notice.waitFor();
  const [, shardId, seq] = /in (\S+) · sequence number (\d+)/.exec(await notice.innerText())!;

  const viewer = page.getByRole('form', { name: 'Data viewer' });
  await viewer.getByLabel('Shard').selectOption(shardId!);
  await viewer.getByLabel('Starting position').selectOption('TRIM_HORIZON');
  await viewer.getByRole('button', { name: 'Get records' }).click();
  const row = page.getByRole('table', { name: 'Records' }).getByRole('row').filter({ hasText: seq! });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /^user-1\s/);
  assert.match(text, /"page": "\/home",\n\s+"ms": 12/, 'JSON is pretty-printed');

  // AT_SEQUENCE_NUMBER starts at that record.
  await viewer.getByLabel('Starting position').selectOption('AT_SEQUENCE_NUMBER');
  await viewer.getByLabel('Sequence number').fill(seq!);
  await viewer.getByRole('button', { name: 'Get records' }).click();
  await row.waitFor();
  assert.equal(await page.getByRole('table', { name: 'Records' }).locator('tbody tr').count(), 1);
});

test('following a shard from LATEST shows a gzip CloudWatch Logs record as it arrives, decompressed', async () => {
  await go('/streams?stream=clicks');
  const put = await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'logs', Data: new TextEncoder().encode('before') }));
  const viewer = page.getByRole('form', { name: 'Data viewer' });
  await viewer.getByLabel('Shard').selectOption(put.ShardId!);
  await viewer.getByLabel('Starting position').selectOption('LATEST');
  await viewer.getByLabel('Keep polling').check();
  await viewer.getByRole('button', { name: 'Get records' }).click();
  await page.getByText('No records at this position yet.').waitFor();
  const payload = { messageType: 'DATA_MESSAGE', owner: '000000000000', logGroup: '/app/web', logStream: 'i-1', subscriptionFilters: ['all'],
    logEvents: [{ id: '1', timestamp: Date.now(), message: 'GET /home 200' }] };
  await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'logs', Data: gzipSync(JSON.stringify(payload)) }));
  const row = page.getByRole('table', { name: 'Records' }).getByRole('row').filter({ hasText: 'GET /home 200' });
  await row.waitFor();
  assert.match(await row.innerText(), /gzip-compressed; shown decompressed/);
  assert.match(await row.innerText(), /"logGroup": "\/app\/web"/);
  assert.equal(await page.getByRole('table', { name: 'Records' }).getByText('before').count(), 0, 'LATEST skips older records');
  await shot('streams-data-viewer');
  await viewer.getByRole('button', { name: 'Stop' }).click();
});

test('the shards tab shows the shards; resharding and retention change from the configuration tab', async () => {
  await go('/streams?stream=clicks&tab=shards');
  const shards = page.getByRole('table', { name: 'Shards' });
  await shards.getByText('shardId-000000000000').waitFor();
  assert.equal(await shards.locator('tbody tr').count(), 2);
  assert.match(await shards.locator('tbody tr').first().innerText(), /Open\s+—\s+0 – \d+/);

  await page.getByRole('tab', { name: 'Configuration' }).click();
  const count = page.getByRole('form', { name: 'Shard count' });
  await count.getByLabel('Target shard count').fill('4');
  await count.getByRole('button', { name: 'Update shard count' }).click();
  await page.getByRole('status').filter({ hasText: 'Updating the shard count.' }).waitFor();
  await until('the reshard', async () => ((await summary('clicks')).OpenShardCount === 4 && (await summary('clicks')).StreamStatus === 'ACTIVE' ? true : undefined), 30_000);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await until('the summary to show 4 open shards', async () => (/Open shards\s+4/.test(await page.getByRole('table', { name: 'Stream summary' }).innerText()) ? true : undefined));
  const retention = page.getByRole('form', { name: 'Data retention' });
  await retention.getByLabel('Retention period (hours)').fill('48');
  await retention.getByRole('button', { name: 'Save retention' }).click();
  await page.getByRole('status').filter({ hasText: 'Data retention is 48 hours.' }).waitFor();
  assert.equal((await summary('clicks')).RetentionPeriodHours, 48);

  await page.getByRole('tab', { name: 'Shards' }).click();
  await until('closed parents and new children', async () => {
    const text = await shards.innerText().catch(() => '');
    return (text.match(/Closed/g) ?? []).length >= 2 && (text.match(/Open/g) ?? []).length === 4 ? true : undefined;
  }, 10_000);
  await shot('streams-shards');
});

test('deleting a stream asks in the page first', async () => {
  await go('/streams');
  await streamRow('clicks').getByRole('button', { name: 'Delete clicks' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete data stream' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleting data stream clicks' }).waitFor();
  await until('the stream to go', async () => (((await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? []).includes('clicks') ? undefined : true), 30_000);
  assert.deepEqual(testBrowser.nativeDialogs, []);
});
