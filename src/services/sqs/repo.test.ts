import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, metaEngines, twoNodes } from '../../store/meta/test-support.ts';
import { QUEUES_TOPIC, SqsRepo } from './repo.ts';
import { SQS_MIGRATIONS } from './schema.ts';

const key = { account: '000000000000', region: 'us-east-1', name: 'jobs' };

for (const engine of await metaEngines()) describe(`SQS queue cache on ${engine.name}`, () => {
  test("a queue write on one node drops every node's cached row", async (t) => {
    const db = await engine.open({ name: 'sqs', migrations: SQS_MIGRATIONS });
    t.after(() => db.close());
    const { a, b } = await twoNodes(engine, db, t);
    const onA = new SqsRepo(a.db, a.changes);
    const onB = new SqsRepo(b.db, b.changes);
    let heard = 0;
    b.changes.subscribe(QUEUES_TOPIC, () => heard++);
    const created = (await onA.insertQueue(key, false, { VisibilityTimeout: '30' }, {}, 1))!;
    // The create's own signal reaches B asynchronously: once it has, what B reads next stays cached.
    await eventually('node B to hear of the create', () => heard > 0);
    assert.equal((await onB.queue(key))!.attributes.VisibilityTimeout, '30');
    assert.ok(onB.cachedQueue(created.id), 'node B caches the row it read');

    await onA.setAttributes(created.id, { VisibilityTimeout: '0' }, 2);
    await eventually('node B to drop the row', () => onB.cachedQueue(created.id) === undefined);
    assert.equal((await onB.queueById(created.id))!.attributes.VisibilityTimeout, '0');

    await onA.deleteQueue(created, 3);
    await eventually('node B to drop the deleted queue', () => onB.cachedQueue(created.id) === undefined);
    assert.equal(await onB.queue(key), undefined);
  });
});
