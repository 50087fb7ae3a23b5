/**
 * Translated queries against a real chDB engine: rows of two accounts (and a second region) in
 * log_events, metric_raw and trail_events, and the kinds of queries Athena users write. Every
 * result must come from account A in us-east-1 only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTelemetry, type Telemetry } from '../../../store/telemetry/index.ts';
import { SERIES_ID_SQL } from '../../../store/telemetry/metric-rollups.ts';
import { stringLiteral as q } from '../../../store/telemetry/sql-literal.ts';
import { ospreyCatalog, translate, withSettings } from './index.ts';

const A = '000000000000';
const B = '111111111111';
const REGION = 'us-east-1';
// Recent (metric_raw keeps 3 hours): the start of the previous hour.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const dir = mkdtempSync(join(tmpdir(), 'osprey-athena-sql-'));
let t: Telemetry;

const LOGS: Array<[string, string, string, number, string, string?]> = [
  // account, group, stream, seconds after T0, message, key_id
  [A, '/app/api', 's1', 1, '{"level":"INFO","status":200,"path":"/a","user":{"id":"u1"},"ms":12}'],
  [A, '/app/api', 's1', 2, '{"level":"ERROR","status":500,"path":"/b","user":{"id":"u2"},"ms":250}'],
  [A, '/app/api', 's2', 3, '{"level":"INFO","status":200,"path":"/a","user":{"id":"u1"},"ms":30}'],
  [A, '/app/api', 's2', 3700, '{"level":"WARN","status":404,"path":"/c","ms":5}'],
  [A, '/app/web', 'w1', 10, 'GET https://example.com/index.html?q=cats&page=2 id=42 took 12ms'],
  [A, '/app/web', 'w1', 20, 'GET https://example.com/about id=7 took 3ms'],
  [A, '/app/secret', 'k1', 5, 'c2VhbGVk', 'arn:aws:kms:us-east-1:000000000000:key/k'],
  [B, '/app/api', 'b1', 1, '{"level":"INFO","status":200,"path":"/other-account"}'],
  [B, '/app/b-only', 'b1', 2, 'SECRET-B'],
];

async function seed(): Promise<void> {
  const logs = LOGS.map(([account, group, stream, s, message, key], i) =>
    `(${q(account)}, ${q(REGION)}, ${q(group)}, ${q(stream)}, ${T0 + s * 1000}, ${T0 + s * 1000 + 50}, ${i}, ${q(message)}, ${q(key ?? '')})`);
  logs.push(`(${q(A)}, 'eu-west-1', '/app/api', 'e1', ${T0}, ${T0}, 99, 'OTHER-REGION', '')`);
  await t.engine.exec(`INSERT INTO log_events (account, region, log_group, log_stream, ts, ingest_ts, seq, message, key_id) VALUES ${logs.join(', ')}`);
  const metric = (account: string, group: string, s: number, sum: number, count: number, min: number, max: number) =>
    `(${q(account)}, ${q(REGION)}, 'App', 'Latency', map('LogGroup', ${q(group)}), ${T0 + s * 1000}, 60, 'Milliseconds', ${count}, ${sum}, ${min}, ${max}, [], [])`;
  await t.engine.exec('INSERT INTO metric_raw (account, region, namespace, metric_name, dimensions, ts, storage_resolution, unit, sample_count, sum, min, max, values, counts) VALUES ' +
    [metric(A, '/app/api', 60, 10, 2, 3, 7), metric(A, '/app/api', 120, 30, 3, 5, 15), metric(A, '/app/web', 60, 4, 1, 4, 4), metric(B, '/app/api', 60, 999, 1, 999, 999)].join(', '));
  // Older than the raw retention: 1-minute tier rows, named through metric_series.
  const old = T0 - 4 * 3_600_000;
  for (const [account, sum] of [[A, 8], [B, 999]] as const) {
    const identity = `SELECT ${q(account)} AS account, ${q(REGION)} AS region, 'App' AS namespace, 'Latency' AS metric_name, map('LogGroup', '/app/old') AS dimensions`;
    await t.engine.exec(`INSERT INTO metric_series (account, region, namespace, metric_name, dimensions, last_ts, last_publish) SELECT account, region, namespace, metric_name, dimensions, ${old}, ${old} FROM (${identity})`);
    await t.engine.exec(`INSERT INTO metric_tier_1m_v2 (series, unit, ts, sample_count, sum, min, max, dist_count) SELECT ${SERIES_ID_SQL}, 'Milliseconds', ${old}, 2, ${sum}, 1, ${sum - 1}, 0 FROM (${identity})`);
  }
  const trail = (account: string, s: number, name: string, extra: Record<string, unknown> = {}) => {
    const record = {
      eventVersion: '1.09', userIdentity: {
        type: 'IAMUser', arn: `arn:aws:iam::${account}:user/alice`, userName: 'alice',
        sessionContext: { sessionIssuer: { userName: 'issuer' }, attributes: { mfaAuthenticated: 'false' } },
      },
      eventTime: new Date(T0 + s * 1000).toISOString().replace('.000', ''), eventSource: 'logs.amazonaws.com', eventName: name,
      awsRegion: REGION, sourceIPAddress: '10.0.0.1', userAgent: 'aws-cli/2', requestParameters: { logGroupName: '/app/api' },
      responseElements: null, requestID: `r${s}`, eventID: `e${s}`, readOnly: name.startsWith('Describe'), eventType: 'AwsApiCall',
      recipientAccountId: account, ...extra,
    };
    return `(${q(account)}, ${q(REGION)}, ${T0 + s * 1000}, ${s}, ${q(`e${s}`)}, 'Management', 'logs.amazonaws.com', ${q(name)}, 0, 'alice', '', '', [], [], ${q(JSON.stringify(record))})`;
  };
  await t.engine.exec('INSERT INTO trail_events (account, region, event_time, seq, event_id, event_category, event_source, event_name, read_only, username, access_key_id, error_code, resource_types, resource_names, record) VALUES ' +
    [trail(A, 1, 'CreateLogGroup'), trail(A, 2, 'DescribeLogGroups'), trail(A, 3, 'DeleteLogGroup', { errorCode: 'ResourceNotFoundException' }), trail(B, 4, 'CreateLogGroup')].join(', '));
}

before(async () => {
  t = await openTelemetry({ kind: 'chdb', path: dir });
  await seed();
});
after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const catalog = ospreyCatalog({ account: A, region: REGION });

/** Runs a statement; rows as arrays of strings (NULL stays null), in the engine's order. */
async function run(statement: string): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  const tr = translate(statement, catalog);
  const rows = await t.engine.query<Record<string, unknown>>(withSettings(tr));
  const cell = (v: unknown) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return { columns: tr.columns, rows: rows.map((r) => tr.columns.map((_c, i) => cell(r[`c${i}`]))) };
}

const hour = iso(T0).slice(0, 13);
const CASES: Array<[string, string, (string | null)[][]]> = [
  ['counts by group (the issue\'s acceptance query)', `SELECT log_group, count(*) FROM osprey.logs WHERE timestamp > now() - interval '3' hour GROUP BY 1 ORDER BY 2 DESC, 1`,
    [['/app/api', '4'], ['/app/web', '2']]],
  ['time buckets with date_trunc', "SELECT date_trunc('hour', timestamp) AS h, count(*) AS n FROM logs GROUP BY 1 ORDER BY 1",
    [[`${hour}:00:00.000`, '5'], [`${iso(T0 + 3_600_000).slice(0, 13)}:00:00.000`, '1']]],
  ['json_extract_scalar on messages', "SELECT json_extract_scalar(message, '$.level') AS level, count(*) FROM logs WHERE log_group = '/app/api' GROUP BY 1 ORDER BY 1",
    [['ERROR', '1'], ['INFO', '2'], ['WARN', '1']]],
  ['json_extract_scalar: numbers, nested members, absent ones, objects', "SELECT json_extract_scalar(message, '$.status'), json_extract_scalar(message, '$.user.id'), json_extract_scalar(message, '$.user'), json_extract(message, '$.user') FROM logs WHERE log_stream = 's1' ORDER BY timestamp LIMIT 1",
    [['200', 'u1', null, '{"id":"u1"}']]],
  ['CAST of JSON numbers, avg, HAVING', "SELECT json_extract_scalar(message, '$.path') AS path, avg(CAST(json_extract_scalar(message, '$.ms') AS double)) AS ms FROM logs WHERE log_group = '/app/api' GROUP BY 1 HAVING count(*) > 1",
    [['/a', '21']]],
  ['regexp_extract and regexp_like', "SELECT regexp_extract(message, 'id=(\\d+)', 1) AS id, regexp_extract(message, '\\btook \\d+ms') FROM logs WHERE regexp_like(message, '^GET ') ORDER BY 1",
    [['42', 'took 12ms'], ['7', 'took 3ms']]],
  ['regexp_extract without a match is NULL', "SELECT regexp_extract(message, 'zzz(\\d)') FROM logs WHERE log_stream = 'w1' LIMIT 1", [[null]]],
  ['url functions', "SELECT url_extract_host(u), url_extract_path(u), url_extract_parameter(u, 'q'), url_extract_parameter(u, 'missing'), url_extract_protocol(u) FROM (SELECT split_part(message, ' ', 2) AS u FROM logs WHERE message LIKE '%index%')",
    [['example.com', '/index.html', 'cats', null, 'https']]],
  ['window rank per group', 'SELECT log_group, log_stream, rank() OVER (PARTITION BY log_group ORDER BY timestamp DESC) AS r FROM logs WHERE log_group = \'/app/api\' ORDER BY r, log_stream',
    [['/app/api', 's2', '1'], ['/app/api', 's2', '2'], ['/app/api', 's1', '3'], ['/app/api', 's1', '4']]],
  ['row_number, lag and lead over the whole partition', "SELECT log_stream, row_number() OVER (ORDER BY timestamp) AS n, lag(log_stream) OVER (ORDER BY timestamp), lead(log_stream, 2, 'end') OVER (ORDER BY timestamp) FROM logs WHERE log_group = '/app/web'",
    [['w1', '1', null, 'end'], ['w1', '2', 'w1', 'end']]],
  ['running sum with a ROWS frame', 'SELECT sum(length(log_stream)) OVER (ORDER BY timestamp ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM logs WHERE log_group = \'/app/web\'',
    [['2'], ['4']]],
  ['CTE + join logs × metrics', "WITH g AS (SELECT log_group, count(*) AS events FROM logs GROUP BY log_group), m AS (SELECT dimensions['LogGroup'] AS lg, sum(sum) AS total FROM metrics GROUP BY 1) SELECT g.log_group, g.events, m.total FROM g JOIN m ON g.log_group = m.lg ORDER BY 1",
    [['/app/api', '4', '40'], ['/app/web', '2', '4']]],
  ['LEFT JOIN fills NULL for unmatched rows', "SELECT g.log_group, m.total FROM (SELECT DISTINCT log_group FROM logs) g LEFT JOIN (SELECT element_at(dimensions, 'LogGroup') AS lg, max(maximum) AS total FROM metrics WHERE element_at(dimensions, 'LogGroup') = '/app/api' GROUP BY 1) m ON g.log_group = m.lg ORDER BY 1",
    [['/app/api', '15'], ['/app/web', null]]],
  ['UNNEST of split()', "SELECT word, count(*) AS n FROM logs CROSS JOIN UNNEST(split(message, ' ')) AS t(word) WHERE log_group = '/app/web' GROUP BY word HAVING count(*) > 1 ORDER BY word",
    [['GET', '2'], ['took', '2']]],
  ['approx_percentile and approx_distinct', "SELECT approx_percentile(CAST(json_extract_scalar(message, '$.ms') AS double), 0.5), approx_distinct(log_stream) FROM logs WHERE log_group = '/app/api'",
    [['21', '2']]],
  ['ORDER BY / LIMIT / OFFSET', 'SELECT log_stream, timestamp FROM logs ORDER BY timestamp DESC, log_stream LIMIT 2 OFFSET 1',
    [['w1', iso(T0 + 20_000)], ['w1', iso(T0 + 10_000)]]],
  ['metrics columns and average', "SELECT namespace, metric_name, dimensions['LogGroup'], unit, sample_count, sum, minimum, maximum, average FROM metrics WHERE timestamp = from_unixtime(" + (T0 / 1000 + 120) + ')',
    [['App', 'Latency', '/app/api', 'Milliseconds', '3', '30', '5', '15', '10']]],
  ['metrics older than the raw retention come from the 1-minute tier', "SELECT timestamp, sum, sample_count, average FROM metrics WHERE dimensions['LogGroup'] = '/app/old'",
    [[iso(T0 - 4 * 3_600_000), '8', '2', '4']]],
  ['cloudtrail: struct member, json_extract_scalar on requestparameters, readonly', "SELECT eventname, useridentity.arn, json_extract_scalar(requestparameters, '$.logGroupName'), readonly, errorcode FROM cloudtrail ORDER BY eventtime",
    [['CreateLogGroup', `arn:aws:iam::${A}:user/alice`, '/app/api', 'false', null], ['DescribeLogGroups', `arn:aws:iam::${A}:user/alice`, '/app/api', 'true', null],
      ['DeleteLogGroup', `arn:aws:iam::${A}:user/alice`, '/app/api', 'false', 'ResourceNotFoundException']]],
  ['cloudtrail: struct paths are case-insensitive, as in Athena', "SELECT useridentity.username, c.useridentity.sessioncontext.sessionissuer.username, useridentity.sessioncontext.attributes, useridentity.nope FROM cloudtrail c WHERE eventname = 'CreateLogGroup'",
    [['alice', 'issuer', '{"mfaAuthenticated":"false"}', null]]],
  ['cloudtrail: from_iso8601_timestamp on eventtime, count_if', "SELECT count_if(errorcode IS NOT NULL), count(*) FROM cloudtrail WHERE from_iso8601_timestamp(eventtime) >= from_unixtime(" + (T0 / 1000) + ')',
    [['1', '3']]],
  ['scalar subquery and EXISTS', "SELECT log_stream FROM logs WHERE length(message) = (SELECT max(length(message)) FROM logs WHERE log_group = '/app/web') AND EXISTS (SELECT 1 FROM metrics)",
    [['w1']]],
  ['IN (subquery)', "SELECT DISTINCT log_group FROM logs WHERE log_group IN (SELECT dimensions['LogGroup'] FROM metrics WHERE sum > 5)",
    [['/app/api']]],
  ['UNION ALL with ORDER BY over the whole', 'SELECT log_group AS name FROM logs WHERE log_stream = \'w1\' UNION ALL SELECT eventname FROM cloudtrail ORDER BY 1 LIMIT 3',
    [['/app/web'], ['/app/web'], ['CreateLogGroup']]],
  ['UNION (distinct)', 'SELECT log_group FROM logs UNION SELECT log_group FROM logs ORDER BY 1', [['/app/api'], ['/app/web']]],
  ['integer division, modulo, round half away from zero', 'SELECT 7 / 2, -7 / 2, 7 % 3, 7.0 / 2, round(2.5), round(-2.5), round(1.25, 1)',
    [['3', '-3', '1', '3.5', '3', '-3', '1.3']]],
  ['date_format, date_diff, date_add, to_unixtime', `SELECT date_format(timestamp, '%Y-%m-%d %H:%i:%s'), date_diff('second', timestamp, date_add('minute', 2, timestamp)), to_unixtime(timestamp) FROM logs WHERE log_stream = 'w1' ORDER BY timestamp LIMIT 1`,
    [[iso(T0 + 10_000).slice(0, 19), '120', String(T0 / 1000 + 10)]]],
  ['CASE, coalesce, nullif, TRY_CAST', "SELECT CASE WHEN log_group = '/app/web' THEN 'web' ELSE 'other' END AS kind, coalesce(json_extract_scalar(message, '$.level'), 'none'), TRY_CAST(json_extract_scalar(message, '$.path') AS bigint), nullif(log_stream, 'w1') FROM logs WHERE log_stream IN ('w1') ORDER BY timestamp LIMIT 1",
    [['web', 'none', null, null]]],
  ['string functions', "SELECT upper(log_stream), length(log_group), substr(log_group, 2, 3), concat(log_group, '/', log_stream), strpos(log_group, 'web'), lpad(log_stream, 4, '0'), reverse(log_stream), replace(log_group, '/app/', ''), split_part(log_group, '/', 3), split_part(log_group, '/', 9) FROM logs WHERE log_stream = 'w1' LIMIT 1",
    [['W1', '8', 'app', '/app/web/w1', '6', '00w1', '1w', 'web', 'web', null]]],
  ['array functions over split()', "SELECT cardinality(split(log_group, '/')), element_at(split(log_group, '/'), -1), element_at(split(log_group, '/'), 10), contains(split(log_group, '/'), 'web'), array_join(split(log_group, '/'), '|') FROM logs WHERE log_stream = 'w1' LIMIT 1",
    [['3', 'web', null, 'true', '|app|web']]],
  ['aggregates with FILTER (WHERE …)', "SELECT count(*) FILTER (WHERE json_extract_scalar(message, '$.level') = 'INFO'), sum(length(log_stream)) FILTER (WHERE log_group = '/app/web'), count(*) FROM logs", [['2', '4', '6']]],
  ['AND binds tighter than OR', "SELECT count(*) FROM logs WHERE log_group = '/app/web' AND log_stream = 'w1' OR log_group = '/app/api' AND log_stream = 's1'", [['4']]],
  ['a CTE named log_events is the CTE', 'WITH log_events AS (SELECT log_group FROM logs WHERE log_group = \'/app/web\') SELECT count(*) FROM log_events', [['2']]],
  ['sum of nothing is NULL, count of nothing is 0', "SELECT sum(length(message)), count(*), max(message) FROM logs WHERE log_group = 'nope'", [[null, '0', null]]],
  ['another account named in WHERE stays invisible', `SELECT count(*) FROM logs WHERE log_group = '/app/b-only' OR message = 'SECRET-B' OR message = 'OTHER-REGION'`, [['0']]],
];

for (const [name, statement, expected] of CASES) {
  test(`runs: ${name}`, async () => {
    const { rows } = await run(statement);
    assert.deepEqual(rows, expected);
  });
}

test('no row of account B, of another region or of a sealed group is ever returned', async () => {
  const everything = [
    ...(await run('SELECT * FROM logs')).rows, ...(await run('SELECT * FROM metrics')).rows, ...(await run('SELECT * FROM cloudtrail')).rows,
  ].flat().join('\n');
  for (const leak of ['SECRET-B', 'other-account', '999', B, 'OTHER-REGION', 'c2VhbGVk', '/app/secret']) assert.ok(!everything.includes(leak), leak);
  assert.equal((await run('SELECT * FROM logs')).rows.length, 6);
});
