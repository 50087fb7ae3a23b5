import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { silentLogger } from '../lib/logger.ts';
import { MetricPublisher } from './metric-publisher.ts';

function fakeClient(outcomes: (Error | undefined)[]) {
  const sent: number[] = [];
  const client = {
    send: async (cmd: PutMetricDataCommand) => {
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
      sent.push(cmd.input.MetricData!.length);
      return {};
    },
  } as unknown as CloudWatchClient;
  return { client, sent };
}

const datums = (n: number) => Array.from({ length: n }, (_, i) => ({ MetricName: 'm', Value: i }));
const httpError = (status: number, name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

test('batches of 1,000; a failed call keeps its datums for the next flush, in order; a refused call is dropped', async () => {
  const refused = fakeClient([undefined, undefined, undefined]);
  const p = new MetricPublisher(refused.client, silentLogger);
  p.add('NS', datums(2500));
  await p.flush();
  assert.deepEqual(refused.sent, [1000, 1000, 500]);

  const down = fakeClient([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), httpError(503, 'ServiceUnavailable')]);
  const q = new MetricPublisher(down.client, silentLogger);
  q.add('NS', datums(10));
  await q.flush(0);
  assert.equal(q.pending, 10, 'kept after a connection failure');
  await q.flush(Number.MAX_SAFE_INTEGER);
  assert.equal(q.pending, 10, 'kept after a 503');
  await q.flush(Number.MAX_SAFE_INTEGER);
  assert.equal(q.pending, 0);
  assert.deepEqual(down.sent, [10]);

  const bad = fakeClient([httpError(400, 'InvalidParameterValue')]);
  const r = new MetricPublisher(bad.client, silentLogger);
  r.add('NS', datums(3));
  await r.flush();
  assert.equal(r.pending, 0);
  assert.equal(r.dropped.refused, 3);
});

test('a full queue drops its oldest datums and counts them', () => {
  const p = new MetricPublisher(fakeClient([]).client, silentLogger, 1500);
  p.add('NS', datums(1000));
  p.add('NS', datums(1000));
  assert.equal(p.pending, 1000);
  assert.equal(p.dropped.overflow, 1000);
});

test('with the server away the queue is kept on disk; a restarted agent sends it first, then the file goes', async () => {
  const { mkdtempSync, existsSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { MetricSpool } = await import('./metric-spool.ts');
  const dir = mkdtempSync(join(tmpdir(), 'osprey-agent-spool-'));
  try {
    const down = fakeClient([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })]);
    const first = new MetricPublisher(down.client, silentLogger, 100_000, new MetricSpool(dir));
    const t = new Date('2026-12-01T10:00:00Z');
    first.add('NS', [{ MetricName: 'a', Value: 1, Timestamp: t }]);
    await first.flush(0);
    first.add('NS', [{ MetricName: 'b', Value: 2, Timestamp: t }]);
    assert.ok(existsSync(join(dir, 'metrics-queue.json')), 'the unsent queue is on disk');

    // The agent dies here; the next one finds both datums and sends them before anything new.
    const up = fakeClient([]);
    const sent: { name: string; ts?: Date }[] = [];
    const second = new MetricPublisher({ send: async (c: PutMetricDataCommand) => { for (const d of c.input.MetricData!) sent.push({ name: d.MetricName!, ts: d.Timestamp }); return up.client.send(c); } } as unknown as CloudWatchClient,
      silentLogger, 100_000, new MetricSpool(dir));
    assert.equal(second.pending, 2);
    second.add('NS', [{ MetricName: 'c', Value: 3 }]);
    await second.flush();
    assert.deepEqual(sent.map((s) => s.name), ['a', 'b', 'c']);
    assert.equal(sent[0]!.ts?.getTime(), t.getTime());
    assert.ok(!existsSync(join(dir, 'metrics-queue.json')), 'removed once drained');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
