// End-to-end (Chromium via playwright-core, real server): the Delivery streams page as a user drives
// it — create a Direct PUT stream to a file-mapped S3 bucket, put a record and see it delivered (the
// object on disk, the AWS/Firehose metrics on the monitoring tab), see an HTTP endpoint's failed
// deliveries in the error log, and delete a stream. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Page } from 'playwright-core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { FirehoseClient, DescribeDeliveryStreamCommand, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { bucketDirs, bucketMap, objects } from '../helpers/firehose.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { selfSignedCert } from '../helpers/tls.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let firehose: FirehoseClient;
let kinesis: KinesisClient;
let receiver: Receiver;
const dirs = bucketDirs(['firehose-out']);
const ROLE = 'arn:aws:iam::000000000000:role/firehose-delivery';

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);
const streamRow = (name: string) => page.getByRole('table', { name: 'Delivery streams' }).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
const status = async (name: string) => (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!.DeliveryStreamStatus;

before(async () => {
  // Firehose only delivers to https endpoints: a receiver with a certificate the server trusts.
  const tls = selfSignedCert();
  receiver = await startReceiver({ tls });
  server = await startTestServer({
    modules: ['logs', 'cloudwatch', 'kinesis', 'firehose'],
    env: { OSPREY_EXPORT_BUCKETS: bucketMap(dirs), NODE_EXTRA_CA_CERTS: tls.certPath },
  });
  firehose = new FirehoseClient(sdkConfig(server.url));
  kinesis = new KinesisClient({ ...sdkConfig(server.url), requestHandler: new NodeHttpHandler() });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  firehose?.destroy();
  kinesis?.destroy();
  await server?.stop();
  server?.cleanup();
  await receiver?.close();
  rmSync(dirname(dirs['firehose-out']!), { recursive: true, force: true });
});

test('creating a Direct PUT stream to S3 lists it with its source and destination', async () => {
  await go('/delivery-streams');
  await page.getByText('No delivery streams yet').waitFor();
  const form = page.getByRole('form', { name: 'Create delivery stream' });
  await form.getByLabel('Name', { exact: true }).fill('orders-to-s3');
  await form.getByLabel('S3 bucket (name or ARN)').fill('firehose-out');
  await form.getByLabel('Prefix', { exact: true }).fill('orders/');
  await form.getByLabel('Buffer size (MiB)').fill('1');
  await form.getByLabel('Buffer interval (seconds)').fill('0');
  await form.getByLabel('IAM role ARN').fill(ROLE);
  await form.getByRole('button', { name: 'Create delivery stream' }).click();
  await form.getByRole('status').filter({ hasText: 'Creating delivery stream orders-to-s3' }).waitFor();
  const row = streamRow('orders-to-s3');
  await row.getByText('ACTIVE').waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /ACTIVE\s+Direct PUT\s+Amazon S3\s+firehose-out/);
  await shot('delivery-streams-list');
});

test('a record put from the test tab is delivered to the bucket and shows on the monitoring tab', async () => {
  await go('/delivery-streams?stream=orders-to-s3&tab=configuration');
  const config = page.getByRole('table', { name: 'Delivery stream configuration' });
  await config.getByText('arn:aws:s3:::firehose-out').waitFor();
  assert.match(await config.innerText(), /Prefix\s+orders\//);
  assert.match(await config.innerText(), /Error logging\s+\/aws\/kinesisfirehose\/orders-to-s3 \/ DestinationDelivery/);

  await page.getByRole('tab', { name: 'Test with demo data' }).click();
  const put = page.getByRole('form', { name: 'Put record' });
  await put.getByLabel('Data').fill('{"order":1,"total":9.5}\n');
  await put.getByRole('button', { name: 'Put record' }).click();
  await page.getByRole('status').filter({ hasText: 'Put record' }).waitFor();
  const delivered = await until('the delivered object', async () => {
    const objs = await objects(dirs['firehose-out']!, 'orders/');
    return [...objs].find(([, body]) => body.toString().includes('"order":1'));
  }, 60_000);
  assert.match(delivered[0], /^orders\//);

  await page.getByRole('tab', { name: 'Monitoring' }).click();
  const summary = page.getByRole('table', { name: 'Delivery summary' });
  await until('the delivery metrics', async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    const text = await summary.innerText().catch(() => '');
    return /Incoming records\s+1\b/.test(text) && /Records delivered\s+1\b/.test(text) && !/None in this range/.test(text) ? true : undefined;
  }, 60_000);
  await page.getByText('No delivery errors in this time range.').waitFor();
  await page.locator('.timechart').first().waitFor();
  await shot('delivery-streams-monitoring');
});

test('an HTTP endpoint that refuses records shows its delivery errors from the CloudWatch Logs stream', async () => {
  receiver.status = 500;
  await go('/delivery-streams');
  const form = page.getByRole('form', { name: 'Create delivery stream' });
  await form.getByLabel('Name', { exact: true }).fill('to-webhook');
  await form.getByLabel('HTTP endpoint', { exact: true }).check();
  await form.getByLabel('HTTP endpoint URL').fill(`${receiver.url}/ingest`);
  await form.getByLabel('Access key').fill('secret-key');
  await form.getByLabel('Backup S3 bucket (name or ARN)').fill('firehose-out');
  await form.getByLabel('Buffer size (MiB)').fill('1');
  await form.getByLabel('Buffer interval (seconds)').fill('0');
  await form.getByLabel('Retry duration (seconds)').fill('0');
  await form.getByLabel('IAM role ARN').fill(ROLE);
  await form.getByRole('button', { name: 'Create delivery stream' }).click();
  await streamRow('to-webhook').getByText('ACTIVE').waitFor({ timeout: 30_000 });
  assert.match(await streamRow('to-webhook').innerText(), new RegExp(`HTTP endpoint\\s+${receiver.url}/ingest`));

  await streamRow('to-webhook').getByRole('link', { name: 'to-webhook' }).click();
  await page.getByRole('tab', { name: 'Test with demo data' }).click();
  await page.getByRole('button', { name: 'Start sending demo data' }).click();
  await page.getByText(/[1-9]\d* demo records sent/).waitFor();
  await page.getByRole('button', { name: 'Stop sending demo data' }).click();
  await until('a delivery attempt', () => (receiver.received.length > 0 ? true : undefined), 60_000);
  assert.equal(receiver.received[0]!.headers['x-amz-firehose-access-key'], 'secret-key');

  await page.getByRole('tab', { name: 'Monitoring' }).click();
  const errors = page.getByRole('table', { name: 'Delivery errors' });
  await until('the logged delivery error', async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    return (await errors.count()) > 0 ? true : undefined;
  }, 60_000);
  assert.match(await errors.innerText(), /500|HttpEndpoint|error/i);
  await shot('delivery-streams-errors');
});

test('a stream reading a Kinesis data stream is created from the form and delivers what the data stream receives', async () => {
  const { StreamARN } = await kinesis.send(new CreateStreamCommand({ StreamName: 'clicks', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    .then(() => until('the data stream', async () => {
      const s = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'clicks' }))).StreamDescriptionSummary!;
      return s.StreamStatus === 'ACTIVE' ? s : undefined;
    }, 30_000));
  await go('/delivery-streams');
  const form = page.getByRole('form', { name: 'Create delivery stream' });
  await form.getByLabel('Name', { exact: true }).fill('from-kinesis');
  await form.getByLabel('Kinesis data stream', { exact: true }).check();
  // The field offers the account's data streams.
  await form.locator('datalist#kinesis-streams option', { hasText: 'clicks' }).waitFor({ state: 'attached' });
  await form.getByLabel('Kinesis data stream ARN').fill(StreamARN!);
  await form.getByLabel('S3 bucket (name or ARN)').fill('firehose-out');
  await form.getByLabel('Prefix', { exact: true }).fill('kin/');
  await form.getByLabel('Buffer interval (seconds)').fill('0');
  await form.getByLabel('IAM role ARN').fill(ROLE);
  await form.getByRole('button', { name: 'Create delivery stream' }).click();
  await streamRow('from-kinesis').getByText('ACTIVE').waitFor({ timeout: 30_000 });
  assert.match(await streamRow('from-kinesis').innerText(), /Kinesis data stream clicks\s+Amazon S3/);
  await kinesis.send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'k', Data: new TextEncoder().encode('{"click":7}\n') }));
  await until('the delivered object', async () => {
    const objs = await objects(dirs['firehose-out']!, 'kin/');
    return [...objs.values()].some((b) => b.toString().includes('"click":7')) ? true : undefined;
  }, 60_000);
  // Its test tab points at the data stream rather than offering PutRecord.
  await go('/delivery-streams?stream=from-kinesis&tab=test');
  await page.getByText('put test records there').waitFor();
});

test('deleting a delivery stream asks in the page first', async () => {
  await go('/delivery-streams?stream=to-webhook');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog', { name: 'Delete delivery stream' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/delivery-streams$/);
  await until('the stream to go', async () => (((await firehose.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames ?? []).includes('to-webhook') ? undefined : true), 30_000);
  assert.equal(await status('orders-to-s3'), 'ACTIVE');
  assert.deepEqual(testBrowser.nativeDialogs, []);
});
