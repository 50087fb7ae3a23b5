import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, metaEngines, twoNodes } from './test-support.ts';
import { OutboxStore } from './outbox.ts';
import { AlarmStore, type HistoryItem, type StateChange } from './alarms.ts';
import type { Sql } from './sql/types.ts';

const scope = { account: '123456789012', region: 'us-east-1' };

for (const engine of await metaEngines()) describe(`alarms on ${engine.name}`, () => {
async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open();
  t.after(() => db.close());
  const outbox = new OutboxStore(db);
  return { db, outbox, repo: new AlarmStore(db, outbox) };
}

/** A row as earlier versions wrote it: the raw Put*Alarm input (minus Tags) as JSON, in request order. */
async function insertOldRow(db: Sql, name: string, kind: string, config: unknown): Promise<void> {
  await db.run(`INSERT INTO alarms (account, region, name, kind, config, state_value, state_reason, state_reason_data,
    state_updated_at, state_transitioned_at, config_updated_at, tags) VALUES (?, ?, ?, ?, ?, 'OK', 'fine', NULL, 5, 5, 1, '{"team":"a"}')`,
  [scope.account, scope.region, name, kind, JSON.stringify(config)]);
}

test('alarm rows written by earlier versions (raw Put*Alarm input) load as typed records', async (t) => {
  const { db, repo } = await fresh(t);
  const metric = {
    Threshold: 5, AlarmName: 'cpu', ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 2, TreatMissingData: 'breaching',
    Metrics: [
      { Id: 'e1', Expression: 'm1 * 2', ReturnData: true },
      { Id: 'm1', ReturnData: false, MetricStat: { Stat: 'Average', Period: 60, Metric: { MetricName: 'CPU', Namespace: 'App', Dimensions: [{ Value: 'i-1', Name: 'Host' }] } } },
    ],
    AlarmActions: ['arn:aws:sns:us-east-1:123456789012:t'],
  };
  const composite = { AlarmName: 'both', AlarmRule: 'ALARM(cpu)', ActionsSuppressor: 'cpu', ActionsSuppressorWaitPeriod: 60 };
  await insertOldRow(db, 'cpu', 'MetricAlarm', metric);
  await insertOldRow(db, 'both', 'CompositeAlarm', composite);

  const a = await repo.get(scope.account, scope.region, 'cpu');
  assert.ok(a !== undefined && a.kind === 'MetricAlarm');
  assert.deepEqual(a.config, metric);
  assert.equal(a.config.Metrics?.[1]?.MetricStat?.Metric.Dimensions?.[0]?.Name, 'Host');
  assert.deepEqual(a.tags, { team: 'a' });
  assert.equal(a.stateValue, 'OK');

  const c = await repo.get(scope.account, scope.region, 'both');
  assert.ok(c !== undefined && c.kind === 'CompositeAlarm');
  assert.equal(c.config.AlarmRule, 'ALARM(cpu)');
  assert.equal(c.config.ActionsSuppressorWaitPeriod, 60);
  assert.deepEqual((await repo.all()).map((r) => r.name).sort(), ['both', 'cpu']);
});

const history = (alarmName: string, summary: string): HistoryItem =>
  ({ ...scope, alarmName, alarmType: 'MetricAlarm', timestamp: 10, itemType: 'StateUpdate', summary, data: '{}' });

test('a state transition writes the state, its history and its action deliveries together, and only from the expected state', async (t) => {
  const { repo, outbox } = await fresh(t);
  const config = { AlarmName: 'cpu', MetricName: 'CPU', Namespace: 'App', Statistic: 'Average' as const, Period: 60,
    EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
  const created = await repo.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config, configUpdatedAt: 1, tags: {} },
    { ...history('cpu', 'created'), itemType: 'ConfigurationUpdate' }, 'Unchecked: Initial alarm creation');
  assert.deepEqual(created, { created: true });
  const version = repo.configVersion;

  const change = {
    stateValue: 'ALARM' as const, stateReason: 'breached', stateReasonData: null, at: 10,
    history: history('cpu', 'Alarm updated from INSUFFICIENT_DATA to ALARM'),
    actions: [{ topic: 'cloudwatch.alarm-action', target: 'arn:aws:sns:us-east-1:123456789012:t', payload: '{}' }],
  };
  // Not in OK: the guard refuses and nothing is written.
  assert.equal(await repo.transition(scope.account, scope.region, 'cpu', 'OK', change), false);
  assert.equal((await outbox.counts(10)).pending, 0);
  assert.equal((await repo.history({ ...scope, alarmName: 'cpu', itemType: 'StateUpdate', ascending: true, offset: 0, limit: 10 })).length, 0);

  assert.equal(await repo.transition(scope.account, scope.region, 'cpu', 'INSUFFICIENT_DATA', change), true);
  const a = await repo.get(scope.account, scope.region, 'cpu');
  assert.equal(a?.stateValue, 'ALARM');
  assert.equal(a?.stateTransitionedAt, 10);
  assert.equal((await outbox.counts(10)).pending, 1);
  const items = await repo.history({ ...scope, alarmName: 'cpu', ascending: true, offset: 0, limit: 10 });
  assert.deepEqual(items.map((h) => h.itemType), ['ConfigurationUpdate', 'StateUpdate']);
  // A state change is not a configuration change.
  assert.equal(repo.configVersion, version);
});

const item = (account: string, alarmName: string, timestamp: number): HistoryItem =>
  ({ account, region: scope.region, alarmName, alarmType: 'MetricAlarm', timestamp, itemType: 'StateUpdate', summary: `${alarmName}@${timestamp}`, data: '{}' });

test('historyAfter reads items of every scope past an id, in id order, up to a limit and an upper id', async (t) => {
  const { repo } = await fresh(t);
  await repo.delete(scope.account, scope.region, [], [item(scope.account, 'a', 30), item('999999999999', 'b', 10), item(scope.account, 'c', 20)]);
  const all = await repo.historyAfter(0, 10);
  assert.deepEqual(all.map((h) => [h.account, h.alarmName, h.timestamp]), [[scope.account, 'a', 30], ['999999999999', 'b', 10], [scope.account, 'c', 20]]);
  assert.ok(all.every((h, i) => i === 0 || h.id > all[i - 1]!.id));
  assert.deepEqual(all[0], { id: all[0]!.id, ...item(scope.account, 'a', 30) });
  assert.deepEqual((await repo.historyAfter(all[0]!.id, 1)).map((h) => h.alarmName), ['b']);
  assert.deepEqual((await repo.historyAfter(all[0]!.id, 10, all[1]!.id)).map((h) => h.alarmName), ['b']);
  assert.deepEqual(await repo.historyAfter(all[2]!.id, 10), []);
});

test('pruneHistory deletes exactly the items older than the cutoff, in every scope, in batches', async (t) => {
  const { repo } = await fresh(t);
  const cutoff = 1_000_000;
  await repo.delete(scope.account, scope.region, [], [
    item(scope.account, 'old', cutoff - 86_400_000), item('999999999999', 'old-other', cutoff - 5), item(scope.account, 'just-old', cutoff - 1),
    item(scope.account, 'at-cutoff', cutoff), item(scope.account, 'new', cutoff + 1), item('999999999999', 'new-other', cutoff + 60_000),
  ]);
  assert.equal(await repo.pruneHistory(cutoff, 2), 2);
  assert.equal(await repo.pruneHistory(cutoff, 2), 1);
  assert.equal(await repo.pruneHistory(cutoff, 2), 0);
  assert.deepEqual((await repo.historyAfter(0, 10)).map((h) => h.alarmName), ['at-cutoff', 'new', 'new-other']);
});

const cpu = { AlarmName: 'cpu', MetricName: 'CPU', Namespace: 'App', Statistic: 'Average' as const, Period: 60,
  EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };

test('put merges tags into an existing alarm and keeps its state; list filters by names, prefix, kind and state', async (t) => {
  const { repo } = await fresh(t);
  await repo.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config: cpu, configUpdatedAt: 1, tags: { a: '1' } }, history('cpu', 'c'), 'init');
  await repo.put({ ...scope, name: 'Cpu_2', kind: 'MetricAlarm', config: { ...cpu, AlarmName: 'Cpu_2' }, configUpdatedAt: 1, tags: {} }, history('Cpu_2', 'c'), 'init');
  await repo.put({ ...scope, name: 'both', kind: 'CompositeAlarm', config: { AlarmName: 'both', AlarmRule: 'ALARM(cpu)' }, configUpdatedAt: 1, tags: {} }, history('both', 'c'), 'init');
  assert.deepEqual(await repo.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config: { ...cpu, Threshold: 2 }, configUpdatedAt: 2, tags: { b: '2' } }, history('cpu', 'u'), 'init'), { created: false });
  const a = await repo.get(scope.account, scope.region, 'cpu');
  assert.deepEqual(a?.tags, { a: '1', b: '2' });
  assert.equal(a?.kind === 'MetricAlarm' && a.config.Threshold, 2);
  assert.equal(a?.stateValue, 'INSUFFICIENT_DATA');
  assert.equal(a?.stateReason, 'init');
  const names = async (q: object) => (await repo.list({ ...scope, offset: 0, limit: 10, ...q })).map((r) => r.name);
  assert.deepEqual(await names({}), ['Cpu_2', 'both', 'cpu']);
  assert.deepEqual(await names({ names: ['cpu', 'both', 'nope'] }), ['both', 'cpu']);
  assert.deepEqual(await names({ names: [] }), []);
  assert.deepEqual(await names({ namePrefix: 'cpu' }), ['cpu']);
  assert.deepEqual(await names({ namePrefix: 'Cpu_' }), ['Cpu_2']);
  assert.deepEqual(await names({ kinds: ['CompositeAlarm'] }), ['both']);
  assert.deepEqual(await names({ state: 'OK' }), []);
  assert.deepEqual(await names({ offset: 1, limit: 1 }), ['both']);
  const items = await repo.history({ ...scope, alarmTypes: ['MetricAlarm'], ascending: false, offset: 0, limit: 10 });
  assert.equal(items.length, 4);
  await repo.delete(scope.account, scope.region, ['cpu', 'both'], [history('cpu', 'deleted')]);
  assert.deepEqual(await names({}), ['Cpu_2']);
});

test('held actions fire once, with their history, only while the alarm is still in the state', async (t) => {
  const { repo, outbox } = await fresh(t);
  await repo.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config: cpu, configUpdatedAt: 1, tags: {} }, history('cpu', 'c'), 'init');
  await repo.setSuppression(scope.account, scope.region, 'cpu', 'WaitPeriod', 'waiting');
  assert.equal((await repo.get(scope.account, scope.region, 'cpu'))?.suppressedBy, 'WaitPeriod');
  const action = { topic: 'cloudwatch.alarm-action', target: 't', payload: '{}' };
  assert.equal(await repo.fireHeldActions(scope.account, scope.region, 'cpu', 'ALARM', [action], [history('cpu', 'a')], 5), false);
  assert.equal(await repo.fireHeldActions(scope.account, scope.region, 'cpu', 'INSUFFICIENT_DATA', [action], [history('cpu', 'a')], 5), true);
  const a = await repo.get(scope.account, scope.region, 'cpu');
  assert.equal(a?.suppressedBy, null);
  assert.equal((await outbox.counts(5)).pending, 1);
});

test('a failing transition writes nothing: state, history and outbox roll back together', async (t) => {
  const { db, outbox } = await fresh(t);
  const failing = new AlarmStore(db, { ...outbox, enqueue: async (rows: unknown[], now: number, tx?: Sql) => {
    await outbox.enqueue(rows as never, now, tx);
    throw new Error('boom');
  } } as unknown as OutboxStore);
  await failing.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config: cpu, configUpdatedAt: 1, tags: {} }, history('cpu', 'c'), 'init');
  const change: StateChange = { stateValue: 'ALARM', stateReason: 'x', stateReasonData: null, at: 10, history: history('cpu', 'to alarm'),
    actions: [{ topic: 'cloudwatch.alarm-action', target: 't', payload: '{}' }] };
  await assert.rejects(failing.transition(scope.account, scope.region, 'cpu', 'INSUFFICIENT_DATA', change), /boom/);
  assert.equal((await failing.get(scope.account, scope.region, 'cpu'))?.stateValue, 'INSUFFICIENT_DATA');
  assert.equal((await outbox.counts(10)).pending, 0);
  assert.equal((await failing.history({ ...scope, itemType: 'StateUpdate', ascending: true, offset: 0, limit: 10 })).filter((h) => h.summary === 'to alarm').length, 0);
});

// One process per SQLite data directory: several nodes exist only on PostgreSQL.
test('two nodes transitioning the same alarm from the same state: exactly one wins', { skip: engine.name === 'sqlite' }, async (t) => {
  const { db, repo, outbox } = await fresh(t);
  await repo.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config: cpu, configUpdatedAt: 1, tags: {} }, history('cpu', 'c'), 'init');
  const others = await Promise.all([1, 2, 3].map(() => engine.reopen(db)));
  t.after(async () => { for (const o of others) await o.close(); });
  const repos = [repo, ...others.map((o) => new AlarmStore(o, new OutboxStore(o)))];
  const change: StateChange = { stateValue: 'ALARM', stateReason: 'x', stateReasonData: null, at: 10, history: history('cpu', 'to alarm'),
    actions: [{ topic: 'cloudwatch.alarm-action', target: 't', payload: '{}' }] };
  const won = await Promise.all(repos.flatMap((r) => [r, r].map((x) => x.transition(scope.account, scope.region, 'cpu', 'INSUFFICIENT_DATA', change))));
  assert.equal(won.filter(Boolean).length, 1);
  assert.equal((await outbox.counts(10)).pending, 1);
  assert.equal((await repo.history({ ...scope, itemType: 'StateUpdate', ascending: true, offset: 0, limit: 10 })).filter((h) => h.summary === 'to alarm').length, 1);
});

test('historyCommittedThrough waits for a transaction still holding a smaller id, so a copy by id skips nothing', { skip: engine.name === 'sqlite' }, async (t) => {
  const { db, repo } = await fresh(t);
  const other = await engine.reopen(db);
  t.after(() => other.close());
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const started = new Promise<void>((r) => (inserted = r));
  // Another node's transition: its history id is drawn, its commit is late.
  const slow = other.transaction(async (tx) => {
    await tx.run(`INSERT INTO alarm_history (account, region, alarm_name, alarm_type, ts, item_type, summary, data)
      VALUES (?, ?, 'slow', 'MetricAlarm', 1, 'StateUpdate', 's', '{}')`, [scope.account, scope.region]);
    inserted();
    await gate;
  });
  await started;
  await repo.delete(scope.account, scope.region, [], [item(scope.account, 'fast', 2)]);
  let through: number | undefined;
  const horizon = repo.historyCommittedThrough().then((n) => (through = n));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(through, undefined, 'waits for the open transaction');
  release();
  await slow;
  await horizon;
  const items = await repo.historyAfter(0, 10, through);
  assert.deepEqual(items.map((h) => h.alarmName).sort(), ['fast', 'slow']);
});

test('historyCommittedThrough is every id on SQLite', { skip: engine.name !== 'sqlite' }, async (t) => {
  const { repo } = await fresh(t);
  assert.equal(await repo.historyCommittedThrough(), Number.MAX_SAFE_INTEGER);
});

test("a configuration change on any node bumps every node's configVersion (the runner rebuilds its watch index)", async (t) => {
  const { db } = await fresh(t);
  const { a, b } = await twoNodes(engine, db, t);
  const onA = new AlarmStore(a.db, new OutboxStore(a.db), a.changes);
  const onB = new AlarmStore(b.db, new OutboxStore(b.db), b.changes);
  const seen = onB.configVersion;
  await onA.put({ ...scope, name: 'cpu', kind: 'MetricAlarm', config: cpu, configUpdatedAt: 1, tags: {} }, history('cpu', 'c'), 'init');
  await eventually('the put on node B', () => onB.configVersion > seen);
  const afterPut = onB.configVersion;
  await onA.delete(scope.account, scope.region, ['cpu'], [history('cpu', 'deleted')]);
  await eventually('the delete on node B', () => onB.configVersion > afterPut);
  // A state change is no configuration change: nothing derived from configurations is dropped.
  await onA.put({ ...scope, name: 'mem', kind: 'MetricAlarm', config: { ...cpu, AlarmName: 'mem' }, configUpdatedAt: 1, tags: {} }, history('mem', 'c'), 'init');
  await eventually('the second put on node B', () => onB.configVersion > afterPut + 1);
  const steady = onB.configVersion;
  await onA.transition(scope.account, scope.region, 'mem', 'INSUFFICIENT_DATA', { stateValue: 'OK', stateReason: 'x', stateReasonData: null, at: 2, history: history('mem', 'ok'), actions: [] });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(onB.configVersion, steady);
});
});
