import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metaEngines } from '../../../store/meta/test-support.ts';
import type { StreamDefinition } from './definition.ts';
import { METRIC_STREAM_MIGRATIONS, MetricStreamStore, type MetricStreamRecord } from './repo.ts';

const scope = { account: '111111111111', region: 'us-east-1' };
const record = (nextMinute: number): MetricStreamRecord => ({
  ...scope, name: 'to-firehose', definition: {} as StreamDefinition, state: 'running', createdAt: 1, updatedAt: 1, nextMinute, tags: {},
});

for (const engine of await metaEngines()) describe(`metric stream cursors on ${engine.name}`, () => {
  test('each telemetry store streams from its own cursor; a restart or a delete resets every node\'s', async (t) => {
    const db = await engine.open({ name: 'cloudwatch-metric-streams', migrations: METRIC_STREAM_MIGRATIONS });
    t.after(() => db.close());
    const a = new MetricStreamStore(db, 'aaaaaaaaaaaaaaaa');
    const b = new MetricStreamStore(db, 'bbbbbbbbbbbbbbbb');
    await a.put(record(60_000));
    const [row] = await a.running();
    assert.equal(await a.nextMinute(row!), 60_000);
    await a.advance(scope, 'to-firehose', 180_000);
    assert.equal(await a.nextMinute(row!), 180_000);
    assert.equal(await b.nextMinute(row!), 60_000, 'node B has not streamed its points yet');
    await b.advance(scope, 'to-firehose', 120_000);

    // Stopped and started again at minute 10: both nodes skip the pause.
    assert.ok(await a.setState(scope, 'to-firehose', 'stopped', 240_000, 2));
    assert.ok(await a.setState(scope, 'to-firehose', 'running', 600_000, 3));
    const [again] = await b.running();
    assert.equal(await a.nextMinute(again!), 600_000);
    assert.equal(await b.nextMinute(again!), 600_000);

    await b.advance(scope, 'to-firehose', 660_000);
    assert.ok(await a.delete(scope, 'to-firehose'));
    await a.put(record(720_000));
    const [fresh] = await a.running();
    assert.equal(await b.nextMinute(fresh!), 720_000);
  });
});
