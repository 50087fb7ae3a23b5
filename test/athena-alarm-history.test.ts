// osprey.alarm_history with real clients (SDK v3): alarms created and changed with PutMetricAlarm
// and SetAlarmState show up in Athena as the items DescribeAlarmHistory returns (the copy job runs
// about every second), history_data is JSON for json_extract*, another account sees none of them,
// and a restart on the same data directory keeps the rows without duplicating any. Last, the
// table's own SQL on an engine of this process: items older than 30 days are left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, PutMetricAlarmCommand, SetAlarmStateCommand, type AlarmHistoryItem,
} from '@aws-sdk/client-cloudwatch';
import { ospreyCatalog, translate, withSettings } from '../src/services/athena/sql/index.ts';
import { ChdbEngine, migrate } from '../src/store/telemetry/index.ts';
import { insertAlarmHistory } from '../src/store/telemetry/alarm-history.ts';
import { ACCOUNT, OTHER, OTHER_ACCOUNT, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { runAthena } from './helpers/athena.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const QUERY = 'SELECT alarm_name, history_item_type, history_summary FROM osprey.alarm_history ORDER BY timestamp';
const ENV = { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS };
let server: TestServer;
let cw: CloudWatchClient;
let cwOther: CloudWatchClient;
let athena: AthenaClient;
let athenaOther: AthenaClient;

function connect(): void {
  for (const c of [cw, cwOther, athena, athenaOther]) c?.destroy();
  cw = new CloudWatchClient(sdkConfig(server.url));
  cwOther = new CloudWatchClient({ ...sdkConfig(server.url), credentials: OTHER });
  athena = new AthenaClient(sdkConfig(server.url));
  athenaOther = new AthenaClient({ ...sdkConfig(server.url), credentials: OTHER });
}

before(async () => {
  server = await startTestServer({ modules: ['cloudwatch', 'athena'], env: ENV });
  connect();
});
after(async () => {
  for (const c of [cw, cwOther, athena, athenaOther]) c?.destroy();
  await server?.stop();
  server?.cleanup();
});

/** An alarm on a metric nobody publishes, whose state only SetAlarmState changes (missing data is ignored). */
async function putAlarm(client: CloudWatchClient, name: string): Promise<void> {
  await client.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'Shop', MetricName: `${name}-errors`, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
    Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'ignore',
  }));
}

async function describe(client: CloudWatchClient): Promise<AlarmHistoryItem[]> {
  const r = await client.send(new DescribeAlarmHistoryCommand({ ScanBy: 'TimestampAscending', MaxRecords: 100 }));
  return r.AlarmHistoryItems ?? [];
}

const key = (r: string[]) => JSON.stringify(r);

/**
 * Whether Athena's rows (by timestamp) are DescribeAlarmHistory's items (oldest first). Items of
 * the same millisecond may come in either order, so each run of equal timestamps compares as a set.
 */
function sameItems(rows: string[][], items: AlarmHistoryItem[]): boolean {
  if (rows.length !== items.length) return false;
  for (let i = 0; i < items.length;) {
    let j = i;
    while (j < items.length && items[j]!.Timestamp!.getTime() === items[i]!.Timestamp!.getTime()) j++;
    const want = items.slice(i, j).map((h) => key([h.AlarmName!, h.HistoryItemType!, h.HistorySummary!])).sort();
    if (key(rows.slice(i, j).map(key).sort()) !== key(want)) return false;
    i = j;
  }
  return true;
}

/** Waits until Athena's table holds what DescribeAlarmHistory returns for the caller; returns both. */
async function converged(client: CloudWatchClient, sql: AthenaClient): Promise<{ items: AlarmHistoryItem[]; rows: string[][] }> {
  return until('osprey.alarm_history to hold the alarm history', async () => {
    const items = await describe(client);
    const out = await runAthena(sql, QUERY);
    assert.equal(out.state, 'SUCCEEDED', out.reason);
    return sameItems(out.rows, items) ? { items, rows: out.rows } : undefined;
  }, 20_000);
}

test('osprey.alarm_history returns the items DescribeAlarmHistory returns: creation and state changes, in time order', async () => {
  await putAlarm(cw, 'orders-5xx');
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'errors spiked' }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'OK', StateReason: 'recovered' }));
  await putAlarm(cwOther, 'other-secret');
  await cwOther.send(new SetAlarmStateCommand({ AlarmName: 'other-secret', StateValue: 'ALARM', StateReason: 'other account' }));

  const { items, rows } = await converged(cw, athena);
  assert.deepEqual(items.map((h) => [h.AlarmName, h.HistoryItemType, h.HistorySummary]), [
    ['orders-5xx', 'ConfigurationUpdate', 'Alarm "orders-5xx" created'],
    ['orders-5xx', 'StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
    ['orders-5xx', 'StateUpdate', 'Alarm updated from ALARM to OK'],
  ]);
  assert.ok(sameItems(rows, items));

  const detail = await runAthena(athena, "SELECT alarm_type, timestamp, json_extract_scalar(history_data, '$.newState.stateValue'), " +
    "json_extract_scalar(history_data, '$.newState.stateReason') FROM osprey.alarm_history WHERE history_item_type = 'StateUpdate' ORDER BY timestamp");
  assert.equal(detail.state, 'SUCCEEDED', detail.reason);
  const stamp = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
  const states = items.filter((h) => h.HistoryItemType === 'StateUpdate');
  assert.deepEqual(detail.rows, [
    ['MetricAlarm', stamp(states[0]!.Timestamp!), 'ALARM', 'errors spiked'],
    ['MetricAlarm', stamp(states[1]!.Timestamp!), 'OK', 'recovered'],
  ]);
});

test('another account sees only its own alarm history, and none of this one', async () => {
  const { items, rows } = await converged(cwOther, athenaOther);
  assert.deepEqual(items.map((h) => h.AlarmName), ['other-secret', 'other-secret']);
  assert.ok(rows.every(([name]) => name === 'other-secret'), JSON.stringify(rows));
  const mine = await runAthena(athena, "SELECT count(*) FROM osprey.alarm_history WHERE alarm_name = 'other-secret' OR history_data LIKE '%other account%'");
  assert.deepEqual(mine.rows, [['0']]);
});

test('a restart keeps the rows, copies none twice, and copies what is written after it', async () => {
  const before = await converged(cw, athena);
  assert.equal(await server.stop(), 0);
  const failed = server.logs.filter((l) => l.includes('periodic job failed'));
  assert.deepEqual(failed, [], 'the copy job stopped cleanly');
  server = await startTestServer({ dataDir: server.dataDir, modules: ['cloudwatch', 'athena'], env: ENV });
  connect();
  const kept = await runAthena(athena, QUERY);
  assert.equal(kept.state, 'SUCCEEDED', kept.reason);
  assert.ok(sameItems(kept.rows, before.items), JSON.stringify(kept.rows));

  await cw.send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'after the restart' }));
  const { items } = await converged(cw, athena);
  assert.equal(items.length, before.items.length + 1);
  const twice = await runAthena(athena, 'SELECT alarm_name, history_summary, timestamp, count(*) FROM osprey.alarm_history GROUP BY 1, 2, 3 HAVING count(*) > 1');
  assert.equal(twice.state, 'SUCCEEDED', twice.reason);
  assert.deepEqual(twice.rows, []);
});

test('the table leaves out items older than 30 days and other scopes (its SQL on an engine of this process)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-alarm-history-table-'));
  const engine = await ChdbEngine.open({ path: dir });
  try {
    await migrate(engine);
    const now = Date.now();
    const row = (id: number, account: string, region: string, alarmName: string, timestamp: number) =>
      ({ id, account, region, alarmName, alarmType: 'MetricAlarm', timestamp, itemType: 'StateUpdate', summary: alarmName, data: '{"version":"1.0"}' });
    await insertAlarmHistory(engine, [
      row(1, ACCOUNT, 'us-east-1', 'recent', now - 60_000), row(2, ACCOUNT, 'us-east-1', 'almost-30-days', now - 29.9 * 86_400_000),
      row(3, ACCOUNT, 'us-east-1', 'older-than-30-days', now - 30.1 * 86_400_000), row(4, OTHER_ACCOUNT, 'us-east-1', 'other-account', now),
      row(5, ACCOUNT, 'eu-west-1', 'other-region', now),
    ], 'alarm-history-test-1-5');
    const tr = translate('SELECT alarm_name FROM alarm_history ORDER BY timestamp', ospreyCatalog({ account: ACCOUNT, region: 'us-east-1' }));
    const rows = await engine.query<Record<string, string>>(withSettings(tr));
    assert.deepEqual(rows.map((r) => r.c0), ['almost-30-days', 'recent']);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
