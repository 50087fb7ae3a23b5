/**
 * The Lake compiler against a real chDB engine: hand-made trail_events rows, a store's source
 * (selectors, scope, start) and statements in Lake's dialect; plus what is refused and why.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTelemetry, type Telemetry } from '../../../../store/telemetry/index.ts';
import type { EventDataStore } from '../repo.ts';
import { storeSource } from '../source.ts';
import { compileLakeQuery, parseLakeQuery, UnsupportedQuery } from './compile.ts';
import { substituteStoreRefs } from './refs.ts';

const ID = '0a1b2c3d-1234-4abc-8def-0123456789ab';
const T0 = Date.parse('2026-12-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'osprey-lake-'));
let t: Telemetry;

const store = (over: Partial<EventDataStore> = {}): EventDataStore => ({
  arn: `arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/${ID}`, id: ID, account: '000000000000', region: 'us-east-1', name: 's',
  status: 'ENABLED', advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
  multiRegionEnabled: false, retentionPeriod: 2557, terminationProtectionEnabled: false, billingMode: 'EXTENDABLE_RETENTION_PRICING',
  created: T0 - 3600_000, updated: T0, startSeq: 1, ...over,
});

function row(seq: number, name: string, o: { account?: string; region?: string; readOnly?: boolean; error?: string; group?: string; ip?: string; category?: string } = {}) {
  const record = {
    eventTime: new Date(T0 + seq * 1000).toISOString(), eventSource: 'logs.amazonaws.com', eventName: name, awsRegion: o.region ?? 'us-east-1',
    sourceIPAddress: o.ip ?? '10.0.0.1', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::000000000000:user/alice', principalId: 'AIDA1' },
    requestParameters: o.group ? { logGroupName: o.group, nested: { a: 1 } } : null, ...(o.error ? { errorCode: o.error } : {}),
    readOnly: o.readOnly ?? false, eventCategory: o.category ?? 'Management',
  };
  return {
    account: o.account ?? '000000000000', region: o.region ?? 'us-east-1', eventTime: T0 + seq * 1000, seq, eventId: `e${seq}`,
    eventCategory: o.category ?? 'Management', eventSource: 'logs.amazonaws.com', eventName: name, readOnly: o.readOnly ?? false, username: 'alice',
    accessKeyId: 'AKIA1', errorCode: o.error ?? '', resourceTypes: [], resourceNames: [], record: JSON.stringify(record),
  };
}

before(async () => {
  t = await openTelemetry({ kind: 'chdb', path: dir });
  await t.trailEvents.append([
    row(1, 'CreateLogGroup', { group: 'too-early' }),
    row(2, 'CreateLogGroup', { group: 'a' }),
    row(3, 'DeleteLogGroup', { group: 'a' }),
    row(4, 'DeleteLogGroup', { group: 'missing', error: 'ResourceNotFoundException', ip: '10.0.0.2' }),
    row(5, 'DescribeLogGroups', { readOnly: true }),
    row(6, 'CreateLogGroup', { group: 'other-region', region: 'eu-west-1' }),
    row(7, 'CreateLogGroup', { group: 'other-account', account: '111111111111' }),
    row(8, 'PutLogEvents', { group: 'a', category: 'Data' }),
  ]);
});
after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(sql: string, s = store()): Promise<Record<string, unknown>[]> {
  const c = compileLakeQuery(parseLakeQuery(sql), storeSource(s, T0 + 60_000, 'shared'), 1000);
  const rows = await t.trailEvents.engine.query<Record<string, unknown>>(c.sql);
  return rows.map((r) => Object.fromEntries(c.columns.map((name, i) => [name, r[`c${i}`]])));
}

const CASES: Array<[string, string, Record<string, unknown>[]]> = [
  ['grouped count, ORDER BY ordinal', `SELECT eventName, count(*) FROM ${ID} GROUP BY eventName ORDER BY 2 DESC, 1`,
    [{ eventName: 'DeleteLogGroup', _col1: '2' }, { eventName: 'CreateLogGroup', _col1: '1' }, { eventName: 'DescribeLogGroups', _col1: '1' }]],
  ['errorCode IS NOT NULL, element_at', `SELECT element_at(requestParameters, 'logGroupName') AS g, errorCode FROM ${ID} WHERE errorCode IS NOT NULL`,
    [{ g: 'missing', errorCode: 'ResourceNotFoundException' }]],
  ['readOnly, IN, LIKE, NOT', `SELECT eventName FROM ${ID} WHERE NOT readOnly AND eventName IN ('CreateLogGroup', 'DeleteLogGroup') AND eventName LIKE 'Del%' ORDER BY eventName LIMIT 1`,
    [{ eventName: 'DeleteLogGroup' }]],
  ['eventTime string comparison, count DISTINCT, min/max', `SELECT count(DISTINCT sourceIPAddress) AS ips, min(eventTime) AS first, max(eventName) FROM ${ID} WHERE eventTime >= '2026-12-01 00:00:03'`,
    [{ ips: '2', first: '2026-12-01 00:00:03.000', _col2: 'DescribeLogGroups' }]],
  ['json_extract_scalar, userIdentity fields', `SELECT json_extract_scalar(requestParameters, '$.nested.a') AS a, userIdentity.principalId FROM ${ID} WHERE eventName = 'CreateLogGroup'`,
    [{ a: '1', principalId: 'AIDA1' }]],
  ['date_trunc, GROUP BY ordinal', `SELECT date_trunc('hour', eventTime) AS h, count(*) AS n FROM ${ID} GROUP BY 1`, [{ h: '2026-12-01 00:00:00.000', n: '4' }]],
  ['date_add relative to now()', `SELECT count(*) FROM ${ID} WHERE eventTime > date_add('year', -1, now())`, [{ _col0: '4' }]],
  ['HAVING', `SELECT eventName, count(*) AS n FROM ${ID} GROUP BY eventName HAVING count(*) > 1`, [{ eventName: 'DeleteLogGroup', n: '2' }]],
  // Trino's grammar in node-sql-parser groups AND and OR as equals; AND must bind tighter.
  ['AND binds tighter than OR', `SELECT count(*) FROM ${ID} WHERE eventName = 'DeleteLogGroup' AND errorCode IS NOT NULL OR eventName = 'DescribeLogGroups'`, [{ _col0: '2' }]],
  ['another account named in WHERE stays invisible', `SELECT count(*) FROM ${ID} WHERE recipientAccountId = '111111111111'`, [{ _col0: '0' }]],
];

for (const [name, sql, expected] of CASES) {
  test(`compiles and runs: ${name}`, async () => {
    assert.deepEqual(await run(sql), expected);
  });
}

test('selectors: a multi-region store of data events sees only those, in every region of its account', async () => {
  const s = store({ multiRegionEnabled: true, advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] });
  assert.deepEqual(await run(`SELECT eventName FROM ${ID}`, s), [{ eventName: 'PutLogEvents' }]);
  const regions = store({ multiRegionEnabled: true, advancedEventSelectors: [{ FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }] }] });
  assert.deepEqual(await run(`SELECT DISTINCT awsRegion FROM ${ID} ORDER BY 1`, regions), [{ awsRegion: 'eu-west-1' }, { awsRegion: 'us-east-1' }]);
});

test('store IDs and ARNs become placeholders; UUIDs inside string literals stay', () => {
  const { sql, refs } = substituteStoreRefs(`SELECT * FROM ${ID} WHERE eventId = '${ID}'`);
  assert.equal(sql, `SELECT * FROM eds_0 WHERE eventId = '${ID}'`);
  assert.equal(refs.get('eds_0'), ID);
  assert.equal(parseLakeQuery(`SELECT 1 FROM arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/${ID}`).store, `arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/${ID}`);
});

const REFUSED: Array<[string, RegExp]> = [
  ['SELECT * FROM trail_events', /FROM trail_events: FROM must name one event data store/],
  [`SELECT 1 FROM ${ID}; SELECT 2 FROM ${ID}`, /more than one statement/],
  [`SELECT x FROM ${ID}`, /column x \(not in the CloudTrail event schema\)/],
  [`SELECT account FROM ${ID}`, /column account/],
  [`SELECT eventName FROM ${ID} WHERE eventName IN (SELECT event_name FROM trail_events)`, /subqueries|IN with anything but a list/],
  [`SELECT rank() OVER (ORDER BY eventName) FROM ${ID}`, /window functions|could not be parsed/],
  [`SELECT eventName FROM ${ID} LIMIT 5 OFFSET 2`, /offset|could not be parsed/i],
  [`SELECT url('http://x') FROM ${ID}`, /function url/],
];

for (const [sql, message] of REFUSED) {
  test(`refuses: ${sql}`, () => {
    assert.throws(() => compileLakeQuery(parseLakeQuery(sql), '(SRC)', 10), (e: Error) => e instanceof UnsupportedQuery && message.test(e.message));
  });
}
