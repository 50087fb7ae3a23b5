// End-to-end (Chromium via playwright-core, real server): the Queues page as a user drives it —
// create a standard queue with a dead-letter queue and a FIFO queue, send with attributes, poll and
// delete received messages, purge behind a confirmation, redrive a dead-letter queue back to its
// source, and delete a queue. SDK v3 checks what the UI did. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import {
  SQSClient, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let sqs: SQSClient;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const go = (path: string) => page.goto(server.url.replace(/\/$/, '') + path);

before(async () => {
  server = await startTestServer({ modules: ['logs', 'cloudwatch', 'sqs'] });
  sqs = new SQSClient(sdkConfig(server.url));
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  sqs?.destroy();
  await server?.stop();
  server?.cleanup();
});

const urlOf = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
async function counts(name: string) {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(name), AttributeNames: ['All'] }))).Attributes ?? {};
  return { available: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible), attrs: a };
}
/** Waits until the queue's row in the list reads like `re` (the list reloads itself). */
async function rowShows(name: string, re: RegExp) {
  await until(`${name}'s row to match ${re}`, async () => (re.test(await queueRow(name).innerText()) ? true : undefined), 20_000);
}
const queueRow = (name: string) => page.getByRole('table', { name: 'Queues' }).getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

async function createQueue(name: string, opts: { fifo?: boolean; dlq?: string; maxReceives?: number; visibility?: number } = {}) {
  const form = page.getByRole('form', { name: 'Create queue' });
  if (opts.fifo) await form.getByLabel('FIFO').check();
  await form.getByLabel('Name').fill(name);
  if (opts.visibility !== undefined) await form.getByLabel('Visibility timeout (seconds)').fill(String(opts.visibility));
  if (opts.dlq) await form.getByLabel('Dead-letter queue').selectOption({ label: opts.dlq });
  if (opts.maxReceives) await form.getByLabel('Maximum receives').fill(String(opts.maxReceives));
  await form.getByRole('button', { name: 'Create queue' }).click();
  await form.getByRole('status').filter({ hasText: 'Created queue' }).waitFor();
}

test('creating queues in the form lists them with their type, counts and dead-letter queue', async () => {
  await go('/queues');
  await page.getByRole('heading', { name: 'Queues' }).waitFor();
  await page.getByText('No queues yet').waitFor();
  await createQueue('orders-dlq');
  await queueRow('orders-dlq').waitFor();
  await createQueue('orders', { dlq: 'orders-dlq', maxReceives: 1, visibility: 1 });
  await createQueue('payments', { fifo: true });
  const orders = queueRow('orders');
  await orders.waitFor();
  assert.match(await orders.innerText(), /Standard\s+0\s+0\s+0\s+orders-dlq/);
  assert.match(await queueRow('payments.fifo').innerText(), /FIFO/);
  const { attrs } = await counts('orders');
  assert.equal(attrs.VisibilityTimeout, '1');
  assert.deepEqual(JSON.parse(attrs.RedrivePolicy!), { deadLetterTargetArn: (await counts('orders-dlq')).attrs.QueueArn, maxReceiveCount: 1 });
  assert.equal((await counts('payments.fifo')).attrs.FifoQueue, 'true');
  await shot('queues-list');
});

test('send a message with attributes, poll for it, and delete it from the queue', async () => {
  await go('/queues');
  await queueRow('orders').getByRole('link', { name: 'Send and receive' }).click();
  await page.waitForURL(/tab=messages/);
  const send = page.getByRole('form', { name: 'Send message' });
  await send.getByLabel('Message body').fill('{"order": 42}');
  await send.getByRole('button', { name: 'Add attribute' }).click();
  await send.getByLabel('Attribute 1 name').fill('source');
  await send.getByLabel('Attribute 1 value').fill('console');
  await send.getByRole('button', { name: 'Add attribute' }).click();
  await send.getByLabel('Attribute 2 name').fill('priority');
  await send.getByLabel('Attribute 2 type').selectOption('Number');
  await send.getByLabel('Attribute 2 value').fill('7');
  await send.getByRole('button', { name: 'Send message' }).click();
  await send.getByRole('status').filter({ hasText: 'Sent message' }).waitFor();
  assert.equal((await counts('orders')).available, 1);

  const poll = page.getByRole('form', { name: 'Poll for messages' });
  await poll.getByLabel('Polling duration (seconds)').fill('5');
  await poll.getByLabel('Maximum message count').fill('1');
  await poll.getByRole('button', { name: 'Poll for messages' }).click();
  const received = page.getByRole('table', { name: 'Received messages' });
  const row = received.getByRole('row').filter({ hasText: '{"order": 42}' });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /source \(String\): console/);
  assert.match(text, /priority \(Number\): 7/);
  assert.match(text, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ?\s+1$/m, 'sent time and a receive count of 1');
  await shot('queues-send-receive');

  await row.getByRole('checkbox').check();
  await poll.getByRole('button', { name: 'Delete 1 selected' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted 1 message' }).waitFor();
  assert.equal(await received.count(), 0);
  await until('the message to be gone', async () => {
    const c = await counts('orders');
    return c.available === 0 && c.inFlight === 0 ? true : undefined;
  });
});

test('a FIFO queue asks for a message group ID and returns it with the message', async () => {
  await go(`/queues?queue=${encodeURIComponent(await urlOf('payments.fifo'))}&tab=messages`);
  const send = page.getByRole('form', { name: 'Send message' });
  assert.equal(await send.getByLabel('Delivery delay (seconds)').count(), 0, 'FIFO queues have no per-message delay');
  await send.getByLabel('Message body').fill('pay 1');
  await send.getByLabel('Message group ID').fill('customer-7');
  await send.getByLabel(/Message deduplication ID/).fill('d-1');
  await send.getByRole('button', { name: 'Send message' }).click();
  await send.getByRole('status').filter({ hasText: /sequence number \d+/ }).waitFor();
  const poll = page.getByRole('form', { name: 'Poll for messages' });
  await poll.getByLabel('Polling duration (seconds)').fill('3');
  await poll.getByRole('button', { name: 'Poll for messages' }).click();
  await page.getByRole('table', { name: 'Received messages' }).getByRole('row').filter({ hasText: 'pay 1' }).getByText('group customer-7').waitFor();
});

test('purge asks for confirmation in the page and then empties the queue', async () => {
  const url = await urlOf('orders');
  for (const body of ['a', 'b', 'c']) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  await go('/queues');
  await rowShows('orders', /Standard\s+3/);
  await queueRow('orders').getByRole('button', { name: 'Purge orders' }).click();
  const dialog = page.getByRole('dialog', { name: 'Purge queue' });
  await dialog.getByText('orders').first().waitFor();
  await shot('queues-purge-confirm');
  // Cancel keeps the messages.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await counts('orders')).available, 3);
  await queueRow('orders').getByRole('button', { name: 'Purge orders' }).click();
  await dialog.getByRole('button', { name: 'Purge' }).click();
  await page.getByRole('status').filter({ hasText: 'Purged queue orders' }).waitFor();
  await until('the purge', async () => ((await counts('orders')).available === 0 ? true : undefined));
  // The list shows the empty queue without waiting for its next refresh.
  await rowShows('orders', /Standard\s+0\s+0\s+0/);
});

test('a message that failed too often lands in the DLQ and DLQ redrive moves it back', async () => {
  const url = await urlOf('orders');
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
  // maxReceiveCount 1: the first receive counts, the next one (after the 1 s visibility timeout) moves it to the DLQ.
  assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }))).Messages?.length, 1);
  await until('the message to reach the DLQ', async () => {
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    return (await counts('orders-dlq')).available === 1 ? true : undefined;
  }, 10_000);

  await go(`/queues?queue=${encodeURIComponent(await urlOf('orders-dlq'))}`);
  await page.getByRole('tab', { name: 'DLQ redrive' }).click();
  await page.getByRole('list', { name: 'Source queues' }).getByRole('link', { name: 'orders' }).waitFor();
  await page.getByRole('form', { name: 'Start DLQ redrive' }).getByRole('button', { name: 'Start DLQ redrive' }).click();
  await page.getByRole('status').filter({ hasText: 'Started DLQ redrive' }).waitFor();
  const task = page.getByRole('table', { name: 'Redrive tasks' }).getByRole('row').nth(1);
  await task.getByText('COMPLETED').waitFor({ timeout: 30_000 });
  assert.match(await task.innerText(), /Source queues\s+1 of 1/);
  await shot('queues-dlq-redrive');
  assert.equal((await counts('orders-dlq')).available, 0);
  const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2 }));
  assert.equal(back.Messages?.[0]?.Body, 'poison');
});

test('the queue page shows details, edits its configuration, saves tags and policy, and deletes the queue after confirming', async () => {
  const url = await urlOf('orders');
  await go(`/queues?queue=${encodeURIComponent(url)}`);
  const details = page.getByRole('table', { name: 'Queue details' });
  await details.getByText('1 second').first().waitFor();
  assert.match(await details.innerText(), /Dead-letter queue\s+orders-dlq after 1 receives/);
  assert.match(await details.innerText(), /Message retention period\s+4 days/);
  const edit = page.getByRole('form', { name: 'Edit queue' });
  assert.equal(await edit.getByLabel('Visibility timeout (seconds)').inputValue(), '1');
  await edit.getByLabel('Visibility timeout (seconds)').fill('45');
  await edit.getByRole('button', { name: 'Save' }).click();
  await edit.getByRole('status').filter({ hasText: 'Saved the queue configuration.' }).waitFor();
  await details.getByText('45 seconds').waitFor();
  assert.equal((await counts('orders')).attrs.VisibilityTimeout, '45');
  await page.getByRole('tab', { name: 'Tags' }).click();
  await page.getByRole('textbox', { name: /Tags/ }).fill('team=checkout\nenv=dev');
  await page.getByRole('button', { name: 'Save tags' }).click();
  await page.getByText('Saved the tags.').waitFor();
  await page.getByRole('tab', { name: 'Access policy' }).click();
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sqs:SendMessage', Resource: (await counts('orders')).attrs.QueueArn }] };
  await page.getByRole('textbox', { name: 'Policy' }).fill(JSON.stringify(policy));
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.getByText('Saved the access policy.').waitFor();
  assert.deepEqual(JSON.parse((await counts('orders')).attrs.Policy!).Statement[0].Action, 'sqs:SendMessage');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete queue' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/queues$/);
  await queueRow('orders-dlq').waitFor();
  assert.equal(await queueRow('orders').count(), 0);
  const left = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
  assert.ok(!left.some((u) => u.endsWith('/orders')), `orders is gone: ${left.join(', ')}`);
  assert.deepEqual(testBrowser.nativeDialogs, []);
});
