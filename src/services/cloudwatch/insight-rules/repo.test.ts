import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, metaEngines, twoNodes } from '../../../store/meta/test-support.ts';
import { INSIGHT_RULE_MIGRATIONS, InsightRuleStore, type InsightRuleRecord } from './repo.ts';

const scope = { account: '000000000000', region: 'us-east-1' };
const rule: InsightRuleRecord = {
  name: 'top-ips', id: 'r1', state: 'ENABLED', applyOnTransformedLogs: false, tags: {}, createdAt: 1,
  definition: JSON.stringify({ Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['/app'], LogFormat: 'JSON',
    Contribution: { Keys: ['$.ip'], Filters: [] }, AggregateOn: 'Count' }),
};

for (const engine of await metaEngines()) describe(`insight rules on ${engine.name}`, () => {
  test("a rule written on one node bumps every node's version (the ingest hook recompiles its rules)", async (t) => {
    const db = await engine.open({ name: 'cloudwatch-insight-rules', migrations: INSIGHT_RULE_MIGRATIONS });
    t.after(() => db.close());
    const { a, b } = await twoNodes(engine, db, t);
    const onA = new InsightRuleStore(a.db, a.changes);
    const onB = new InsightRuleStore(b.db, b.changes);
    let seen = onB.version;
    for (const write of [() => onA.put(scope, rule), () => onA.setState(scope, 'top-ips', 'DISABLED'), () => onA.delete(scope, 'top-ips')]) {
      await write();
      await eventually('the write on node B', () => onB.version > seen);
      seen = onB.version;
    }
    assert.deepEqual(await onB.enabled(), []);
  });
});
