import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Target } from '@aws-sdk/client-scheduler';
import { silentLogger } from '../../lib/logger.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { InvokeDeps } from '../../server/targets/invoke.ts';
import type { OutboxRow } from '../../store/meta/outbox.ts';
import { SchedulerDelivery } from './delivery.ts';
import type { ScheduledInvocation } from './invocation.ts';
import type { StoredSchedule } from './repo.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const NOW = Date.parse('2026-05-01T10:00:00Z');

function harness(status: number) {
  const posts: { url: string; body: string }[] = [];
  const calls: { operation: string; input: unknown; ctx: Ctx }[] = [];
  const invoke: InvokeDeps = {
    call: (async (_s: string, operation: string, ctx: Ctx, input: unknown) => {
      calls.push({ operation, input, ctx });
      return {};
    }) as unknown as InvokeDeps['call'],
    serviceCtx: ({ account, region, principalArn }) => ({ account, region, principalArn }) as Ctx,
    streams: {},
    lambdaFunctions: { [FN]: 'http://receiver.test/f' },
    timeoutMs: 1000,
    now: () => NOW,
    fetch: (async (url: string, init: { body: string }) => {
      posts.push({ url, body: init.body });
      return new Response('{}', { status });
    }) as unknown as typeof fetch,
  };
  /** The schedule `default/s` as the store has it, the store's change count and the reads made. */
  const store = { schedule: { state: 'ENABLED', revision: 'r1' } as Pick<StoredSchedule, 'state' | 'revision'> | undefined, generation: 7, reads: 0, deleted: 0 };
  const schedules: ConstructorParameters<typeof SchedulerDelivery>[0]['schedules'] = {
    generation: async () => store.generation,
    schedule: async () => {
      store.reads++;
      return store.schedule as StoredSchedule | undefined;
    },
    deleteSchedule: async () => {
      store.deleted++;
      store.schedule = undefined;
      store.generation++;
      return true;
    },
  };
  const delivery = new SchedulerDelivery({ invoke, schedules, log: silentLogger, now: () => NOW });
  const send = async (target: Partial<Target>, attempts = 0, fired: Partial<ScheduledInvocation> = {}) => {
    const inv: ScheduledInvocation = {
      account: '000000000000', region: 'us-east-1', group: 'default', name: 's', scheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/s',
      target: { Arn: FN, RoleArn: 'arn:aws:iam::000000000000:role/r', ...target }, scheduledAt: NOW - 1000, firedAt: NOW - 500, occurrenceId: 'o1', ...fired,
    };
    const row = { id: 1, topic: 'scheduler.target', target: inv.target.Arn!, payload: JSON.stringify(inv), attempts } as OutboxRow;
    return (await delivery.deliver([row], new AbortController().signal))[0]!;
  };
  return { posts, calls, send, store };
}

test('an occurrence fired ahead is sent when nothing changed since, without reading its schedule', async () => {
  const h = harness(200);
  assert.deepEqual(await h.send({}, 0, { revision: 'r1', generation: 7 }), { id: 1, ok: true });
  assert.equal(h.posts.length, 1);
  assert.equal(h.store.reads, 0);
});

test('an occurrence fired ahead is not sent when its schedule was updated, disabled or deleted before it was due', async () => {
  for (const now of [{ state: 'ENABLED', revision: 'r2' }, { state: 'DISABLED', revision: 'r1' }, undefined] as const) {
    const h = harness(200);
    h.store.schedule = now;
    h.store.generation = 8;
    assert.deepEqual(await h.send({}, 0, { revision: 'r1', generation: 7 }), { id: 1, ok: true });
    assert.equal(h.posts.length, 0, `sent with the schedule ${JSON.stringify(now)}`);
  }
  // Another schedule changed: this one is read and found as it was.
  const h = harness(200);
  h.store.generation = 8;
  await h.send({}, 0, { revision: 'r1', generation: 7 });
  assert.deepEqual([h.posts.length, h.store.reads], [1, 1]);
});

test('ActionAfterCompletion DELETE: the schedule is deleted once its last invocation is done, not while it is retried', async () => {
  const failing = harness(500);
  assert.equal((await failing.send({ RetryPolicy: { MaximumRetryAttempts: 3 } }, 0, { revision: 'r1', generation: 7, deleteAfter: true })).ok, false);
  assert.equal(failing.store.deleted, 0);
  const ok = harness(200);
  await ok.send({}, 0, { revision: 'r1', generation: 7, deleteAfter: true });
  assert.equal(ok.store.deleted, 1);
  // Updated since it fired: the new version stays.
  const updated = harness(200);
  updated.store.schedule = { state: 'ENABLED', revision: 'r2' };
  await updated.send({}, 1, { revision: 'r1', generation: 7, deleteAfter: true });
  assert.equal(updated.store.deleted, 0);
});

test('a Lambda target gets Input with the attempt number of this try', async () => {
  const h = harness(200);
  assert.deepEqual(await h.send({ Input: '{"n":<aws.scheduler.attempt-number>}' }, 2), { id: 1, ok: true });
  assert.deepEqual(h.posts, [{ url: 'http://receiver.test/f', body: '{"n":3}' }]);
});

test('failures are retried until MaximumRetryAttempts, then the dead-letter event is sent', async () => {
  const h = harness(500);
  const dlq = 'arn:aws:sns:us-east-1:000000000000:dlq';
  const first = await h.send({ RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlq } }, 0);
  assert.equal(first.ok, false);
  assert.equal(h.calls.length, 0);
  const last = await h.send({ RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlq } }, 2);
  assert.deepEqual(last, { id: 1, ok: true });
  const publish = h.calls[0]!.input as { TopicArn: string; Message: string; MessageAttributes: Record<string, { StringValue: string }> };
  assert.equal(publish.TopicArn, dlq);
  assert.equal(publish.Message, '{}');
  assert.equal(publish.MessageAttributes.EXHAUSTED_RETRY_CONDITION!.StringValue, 'MaximumRetryAttempts');
  assert.equal(publish.MessageAttributes.SCHEDULE_ARN!.StringValue, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/s');
  assert.equal(h.calls[0]!.ctx.principalArn, 'scheduler.amazonaws.com');
});

test('an SQS dead-letter queue gets the body with the failure in message attributes, sent as scheduler.amazonaws.com', async () => {
  const h = harness(500);
  const out = await h.send({ RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q' } }, 0);
  assert.deepEqual(out, { id: 1, ok: true });
  assert.equal(h.calls[0]!.operation, 'SendMessage');
  const send = h.calls[0]!.input as { QueueUrl: string; MessageBody: string; MessageAttributes: Record<string, { StringValue: string }> };
  assert.equal(send.QueueUrl, 'https://sqs.us-east-1.amazonaws.com/000000000000/q');
  assert.equal(send.MessageBody, '{}');
  assert.equal(send.MessageAttributes.ERROR_CODE!.StringValue, 'INTERNAL_ERROR');
  assert.equal(send.MessageAttributes.RETRY_ATTEMPTS!.StringValue, '0');
  assert.deepEqual(h.calls[0]!.ctx.invokedBy, {
    service: 'scheduler.amazonaws.com', sourceArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/s', sourceAccount: '000000000000',
  });
});

test('a FIFO queue target gets the message group of SqsParameters', async () => {
  const h = harness(200);
  await h.send({ Arn: 'arn:aws:sqs:us-east-1:000000000000:q.fifo', Input: 'tick', SqsParameters: { MessageGroupId: 'g1' } });
  assert.deepEqual(h.calls[0]!.input, { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/q.fifo', MessageBody: 'tick', MessageGroupId: 'g1' });
});

test('an event older than MaximumEventAgeInSeconds is not retried', async () => {
  const h = harness(500);
  const inv = await h.send({ RetryPolicy: { MaximumEventAgeInSeconds: 60 } }, 0);
  assert.equal(inv.ok, false);
  const h2 = harness(500);
  // firedAt is NOW - 500 ms; an age limit already passed makes the failure final.
  const final = await h2.send({ RetryPolicy: { MaximumEventAgeInSeconds: 0 } }, 0);
  assert.deepEqual(final, { id: 1, ok: true });
});

test('an event bus target gets an event built from EventBridgeParameters with Input as detail', async () => {
  const h = harness(200);
  await h.send({ Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', Input: '{"a":1}', EventBridgeParameters: { Source: 'my.app', DetailType: 'Tick' } });
  const put = h.calls[0]!.input as { Entries: { Source: string; DetailType: string; Detail: string; Resources: string[] }[] };
  assert.equal(h.calls[0]!.operation, 'PutEvents');
  assert.deepEqual(put.Entries[0], {
    EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/default', Source: 'my.app', DetailType: 'Tick', Detail: '{"a":1}',
    Resources: ['arn:aws:scheduler:us-east-1:000000000000:schedule/default/s'],
  });
});
