// End-to-end (Chromium via playwright-core, real server): the Traces page. A two-service trace sent
// through PutTraceSegments shows on the service map (and its table), in the trace list with its
// HTTP line and fault status; choosing a service filters the list with service("…"); a bad filter
// expression shows the API's error; a trace opens as a waterfall with its inferred DynamoDB call and
// a segment's document, and links to Logs Insights. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let xray: XRayClient;

const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

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

function sampleTrace(): { traceId: string; docs: string[] } {
  const now = Date.now() / 1000 - 30;
  const traceId = `1-${Math.floor(now).toString(16)}-${randomBytes(12).toString('hex')}`;
  const call = randomBytes(8).toString('hex');
  const root = {
    trace_id: traceId, id: randomBytes(8).toString('hex'), name: 'storefront', origin: 'AWS::EC2::Instance', start_time: now, end_time: now + 0.42,
    http: { request: { method: 'GET', url: 'http://shop.local/cart' }, response: { status: 502 } }, fault: true,
    subsegments: [
      { id: call, name: 'cart-api', namespace: 'remote', start_time: now + 0.01, end_time: now + 0.3, http: { request: { traced: true }, response: { status: 500 } }, fault: true },
      { id: randomBytes(8).toString('hex'), name: 'DynamoDB', namespace: 'aws', start_time: now + 0.31, end_time: now + 0.4, aws: { table_name: 'carts', operation: 'GetItem' } },
    ],
  };
  const downstream = { trace_id: traceId, id: randomBytes(8).toString('hex'), parent_id: call, name: 'cart-api', start_time: now + 0.02, end_time: now + 0.29, fault: true, http: { response: { status: 500 } } };
  return { traceId, docs: [JSON.stringify(root), JSON.stringify(downstream)] };
}

test('the service map, the filtered trace list and a trace waterfall', async () => {
  const { traceId, docs } = sampleTrace();
  const out = await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  assert.deepEqual(out.UnprocessedTraceSegments, []);

  await nav('Traces').click();
  const services = page.getByRole('table', { name: 'Services' });
  const storefront = services.getByRole('row').filter({ has: page.getByRole('link', { name: 'storefront' }) });
  await storefront.waitFor();
  assert.match(await storefront.innerText(), /AWS::EC2::Instance\s+1\s+1\s+0\s+420 ms\s+cart-api, carts/);
  await services.getByRole('row').filter({ has: page.getByRole('link', { name: 'carts' }) }).getByText('AWS::DynamoDB::Table').waitFor();
  const list = page.getByRole('table', { name: 'Traces' });
  const row = list.getByRole('row').filter({ has: page.getByRole('link', { name: traceId }) });
  assert.match(await row.innerText(), /420 ms.*GET http:\/\/shop\.local\/cart 502\s+Fault/s);
  await shot('traces-map');

  await storefront.getByRole('link', { name: 'storefront' }).click();
  await page.waitForURL(/filter=service/);
  assert.equal(await page.getByLabel('Filter expression').inputValue(), 'service("storefront")');
  // The chosen service's requests per minute (GetTimeSeriesServiceStatistics).
  await page.getByRole('heading', { name: 'storefront per minute' }).waitFor();
  await page.getByTestId('Requests of storefront per minute').waitFor();
  await row.waitFor();

  await page.getByLabel('Filter expression').fill('responsetime >');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('alert').getByText(/InvalidRequestException.*'responsetime' is compared with a number/).waitFor();
  await page.getByLabel('Filter expression').fill('edge("storefront", "cart-api") { fault }');
  await page.getByRole('button', { name: 'Apply' }).click();
  await row.getByRole('link', { name: traceId }).click();

  const timeline = page.getByRole('table', { name: 'Timeline' });
  for (const name of ['storefront', 'cart-api', 'DynamoDB (inferred)']) await timeline.getByText(name, { exact: true }).first().waitFor();
  await timeline.getByText('DynamoDB (inferred)').click();
  assert.match(await page.getByLabel('Document of DynamoDB').innerText(), /"origin": "AWS::DynamoDB::Table"/);
  const logs = page.getByRole('link', { name: 'View logs for this trace' });
  const target = new URL((await logs.getAttribute('href')) ?? '', server.url);
  assert.equal(target.pathname, '/insights');
  assert.match(target.searchParams.get('query') ?? '', new RegExp(`filter @message like "${traceId}"`));
  await shot('traces-waterfall');
});

test('a trace id in a Logs Insights result (an OpenTelemetry log record\'s traceId) opens the trace', async () => {
  const { traceId, docs } = sampleTrace();
  await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
  const w3c = traceId.slice(2).replace('-', '');
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/otel/storefront' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/otel/storefront', logStreamName: 'app' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/otel/storefront', logStreamName: 'app', logEvents: [
      { timestamp: Date.now() - 1000, message: JSON.stringify({ body: 'cart lookup failed', severityText: 'ERROR', traceId: w3c }) },
    ] }));
  } finally {
    logs.destroy();
  }
  await go(`/insights?groups=${encodeURIComponent('/otel/storefront')}`);
  await page.getByLabel('Query', { exact: true }).fill('fields traceId, body');
  await page.getByRole('button', { name: 'Run query' }).click();
  const link = page.getByRole('table', { name: 'Query results' }).getByRole('link', { name: w3c });
  await link.click();
  await page.waitForURL((u) => u.pathname === '/traces' && u.searchParams.get('trace') === traceId);
  await page.getByRole('table', { name: 'Timeline' }).getByText('cart-api', { exact: true }).first().waitFor();
  // And back: the trace's logs query finds the record by its W3C spelling too.
  const back = new URL((await page.getByRole('link', { name: 'View logs for this trace' }).getAttribute('href')) ?? '', server.url);
  assert.match(back.searchParams.get('query') ?? '', new RegExp(`@message like "${w3c}"`));
  await shot('insights-trace-link');
});
