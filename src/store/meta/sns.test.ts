import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SnsStore, type SubscriptionRecord } from './sns.ts';
import { metaEngines } from './test-support.ts';

const scope = { account: '000000000000', region: 'us-east-1' };
const topic = (name: string) => ({ ...scope, name, attributes: {}, tags: {}, subscriptionsDeleted: 0, createdAt: 1 });
const sub = (name: string, id: string, over: Partial<SubscriptionRecord> = {}): SubscriptionRecord => ({
  arn: `arn:aws:sns:us-east-1:000000000000:${name}:${id}`,
  ...scope,
  topicName: name,
  protocol: 'https',
  endpoint: `https://example.com/${id}`,
  owner: scope.account,
  confirmed: true,
  confirmationWasAuthenticated: true,
  authenticateOnUnsubscribe: false,
  attributes: {},
  createdAt: 1,
  ...over,
});

for (const engine of await metaEngines()) describe(`sns on ${engine.name}`, () => {
async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open();
  t.after(() => db.close());
  return new SnsStore(db);
}

test('createTopic keeps the first topic of a name and says whether it created it', async (t) => {
  const repo = await fresh(t);
  const a = await repo.createTopic({ ...topic('t1'), attributes: { DisplayName: 'first' } });
  const b = await repo.createTopic({ ...topic('t1'), attributes: { DisplayName: 'second' } });
  assert.equal(a.created, true);
  assert.equal(b.created, false);
  assert.equal(b.topic.attributes.DisplayName, 'first');
});

test('deleting a topic deletes its subscriptions and tokens', async (t) => {
  const repo = await fresh(t);
  await repo.createTopic(topic('t1'));
  await repo.insertSubscription(sub('t1', 'a'));
  await repo.putToken({ token: 'tok', ...scope, topicName: 't1', subscriptionArn: sub('t1', 'a').arn, protocol: 'https', endpoint: 'x', attributes: {}, expiresAt: 10 });
  assert.equal(await repo.deleteTopic({ ...scope, name: 't1' }), true);
  assert.equal(await repo.getSubscription(sub('t1', 'a').arn), undefined);
  assert.equal(await repo.getToken('tok'), undefined);
  assert.equal(await repo.deleteTopic({ ...scope, name: 't1' }), false);
});

test('counts confirmed, pending and deleted subscriptions', async (t) => {
  const repo = await fresh(t);
  await repo.createTopic(topic('t1'));
  await repo.insertSubscription(sub('t1', 'a'));
  await repo.insertSubscription(sub('t1', 'b', { confirmed: false }));
  await repo.insertSubscription(sub('t1', 'c'));
  assert.deepEqual({ ...(await repo.countSubscriptions({ ...scope, name: 't1' })) }, { confirmed: 2, pending: 1 });
  assert.equal(await repo.deleteSubscription(sub('t1', 'c').arn), true);
  assert.equal(await repo.deleteSubscription(sub('t1', 'c').arn), false);
  assert.equal((await repo.getTopic({ ...scope, name: 't1' }))?.subscriptionsDeleted, 1);
  assert.deepEqual((await repo.confirmedSubscriptions({ ...scope, name: 't1' })).map((s) => s.arn), [sub('t1', 'a').arn]);
});

test('lists page by name and by ARN, scoped by account and region', async (t) => {
  const repo = await fresh(t);
  for (const n of ['c', 'a', 'b']) await repo.createTopic(topic(n));
  await repo.createTopic({ ...topic('z'), region: 'eu-west-1' });
  assert.deepEqual((await repo.listTopics(scope.account, scope.region, undefined, 2)).map((t) => t.name), ['a', 'b']);
  assert.deepEqual((await repo.listTopics(scope.account, scope.region, 'b', 2)).map((t) => t.name), ['c']);
  await repo.insertSubscription(sub('a', '2'));
  await repo.insertSubscription(sub('a', '1'));
  await repo.insertSubscription(sub('b', '1'));
  const all = await repo.listSubscriptions(scope.account, scope.region, undefined, 10);
  assert.deepEqual(all.map((s) => s.arn), [sub('a', '1').arn, sub('a', '2').arn, sub('b', '1').arn]);
  const byTopic = await repo.listSubscriptionsByTopic({ ...scope, name: 'a' }, sub('a', '1').arn, 10);
  assert.deepEqual(byTopic.map((s) => s.arn), [sub('a', '2').arn]);
});

test('updates subscriptions and expires tokens', async (t) => {
  const repo = await fresh(t);
  await repo.createTopic(topic('t1'));
  await repo.insertSubscription(sub('t1', 'a', { confirmed: false }));
  assert.equal(await repo.updateSubscription(sub('t1', 'a').arn, { confirmed: true, attributes: { RawMessageDelivery: 'true' } }), true);
  const s = await repo.getSubscription(sub('t1', 'a').arn);
  assert.equal(s?.confirmed, true);
  assert.deepEqual(s?.attributes, { RawMessageDelivery: 'true' });
  assert.equal((await repo.findSubscription({ ...scope, name: 't1' }, 'https', 'https://example.com/a'))?.arn, s?.arn);
  await repo.putToken({ token: 'old', ...scope, topicName: 't1', subscriptionArn: s!.arn, protocol: 'https', endpoint: 'x', attributes: {}, expiresAt: 10 });
  await repo.putToken({ token: 'new', ...scope, topicName: 't1', subscriptionArn: s!.arn, protocol: 'https', endpoint: 'x', attributes: {}, expiresAt: 100 });
  assert.equal(await repo.deleteExpiredTokens(50), 1);
  assert.equal((await repo.getToken('new'))?.expiresAt, 100);
});
});
