import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestMetaDb } from './test-support.ts';
import { SqliteOutboxRepo } from './outbox.ts';
import { SqliteAlarmRepo, type HistoryItem } from './alarms.ts';

const scope = { account: '123456789012', region: 'us-east-1' };

function fresh() {
  const db = openTestMetaDb();
  const outbox = new SqliteOutboxRepo(db);
  return { db, outbox, repo: new SqliteAlarmRepo(db, outbox) };
}

/** A row as earlier versions wrote it: the raw Put*Alarm input (minus Tags) as JSON, in request order. */
function insertOldRow(db: ReturnType<typeof openTestMetaDb>, name: string, kind: string, config: unknown): void {
  db.prepare(`INSERT INTO alarms (account, region, name, kind, config, state_value, state_reason, state_reason_data,
    state_updated_at, state_transitioned_at, config_updated_at, tags) VALUES (?, ?, ?, ?, ?, 'OK', 'fine', NULL, 5, 5, 1, '{"team":"a"}')`)
    .run(scope.account, scope.region, name, kind, JSON.stringify(config));
}

test('alarm rows written by earlier versions (raw Put*Alarm input) load as typed records', async () => {
  const { db, repo } = fresh();
  const metric = {
    Threshold: 5, AlarmName: 'cpu', ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 2, TreatMissingData: 'breaching',
    Metrics: [
      { Id: 'e1', Expression: 'm1 * 2', ReturnData: true },
      { Id: 'm1', ReturnData: false, MetricStat: { Stat: 'Average', Period: 60, Metric: { MetricName: 'CPU', Namespace: 'App', Dimensions: [{ Value: 'i-1', Name: 'Host' }] } } },
    ],
    AlarmActions: ['arn:aws:sns:us-east-1:123456789012:t'],
  };
  const composite = { AlarmName: 'both', AlarmRule: 'ALARM(cpu)', ActionsSuppressor: 'cpu', ActionsSuppressorWaitPeriod: 60 };
  insertOldRow(db, 'cpu', 'MetricAlarm', metric);
  insertOldRow(db, 'both', 'CompositeAlarm', composite);

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

test('a state transition writes the state, its history and its action deliveries together, and only from the expected state', async () => {
  const { repo, outbox } = fresh();
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

test('historyAfter reads items of every scope past an id, in id order, up to a limit and an upper id', async () => {
  const { repo } = fresh();
  await repo.delete(scope.account, scope.region, [], [item(scope.account, 'a', 30), item('999999999999', 'b', 10), item(scope.account, 'c', 20)]);
  const all = await repo.historyAfter(0, 10);
  assert.deepEqual(all.map((h) => [h.account, h.alarmName, h.timestamp]), [[scope.account, 'a', 30], ['999999999999', 'b', 10], [scope.account, 'c', 20]]);
  assert.ok(all.every((h, i) => i === 0 || h.id > all[i - 1]!.id));
  assert.deepEqual(all[0], { id: all[0]!.id, ...item(scope.account, 'a', 30) });
  assert.deepEqual((await repo.historyAfter(all[0]!.id, 1)).map((h) => h.alarmName), ['b']);
  assert.deepEqual((await repo.historyAfter(all[0]!.id, 10, all[1]!.id)).map((h) => h.alarmName), ['b']);
  assert.deepEqual(await repo.historyAfter(all[2]!.id, 10), []);
});

test('pruneHistory deletes exactly the items older than the cutoff, in every scope, in batches', async () => {
  const { repo } = fresh();
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
