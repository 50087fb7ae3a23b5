/**
 * The tables of database `osprey`, as ClickHouse subqueries over the telemetry store restricted to
 * one account and region (literal, escaped values: chDB runs bound queries one at a time, and the
 * translator only ever wraps these texts, so user SQL cannot widen the restriction).
 *
 * - `logs`: log_events. Messages of KMS-encrypted groups are sealed in the store and can only be
 *   opened by the Logs service in JS; SQL cannot read them, so their rows are left out (as Logs
 *   Insights leaves them out of its SQL).
 * - `metrics`: the raw points of metric_raw for the last 3 hours (CloudWatch's raw retention), and
 *   before that the 1-minute tier's rows (15 days): one row per series, unit and minute, with that
 *   minute's sample count, sum, minimum and maximum.
 * - `cloudtrail`: trail_events' record JSON, in the columns of AWS's documented Athena CloudTrail
 *   table. Struct columns (useridentity, resources, tlsdetails) are JSON text of type `json`: the
 *   translator reads `useridentity.arn` as a member of it, and json_extract* work on it.
 * - `spans`: X-Ray segment documents (PutTraceSegments, the daemon, OTLP spans), spans-table.ts.
 * - `alarm_history`: CloudWatch alarm history items (DescribeAlarmHistory's), alarm-history-table.ts.
 */
import { RAW_RETENTION_MS, ROLLUP_TIERS, SERIES_ID_SQL } from '../../../store/telemetry/metric-rollups.ts';
import { tierColumnsSql } from '../../../store/telemetry/metric-minute-tier.ts';
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import { alarmHistory } from './alarm-history-table.ts';
import type { Catalog, TableSource } from './catalog.ts';
import { spans } from './spans-table.ts';
import { where } from './table-scope.ts';

export const OSPREY_DATABASE = 'osprey';

function logs(scope: { account: string; region: string }): TableSource {
  return {
    sql: 'SELECT log_group, log_stream, fromUnixTimestamp64Milli(ts, \'UTC\') AS `timestamp`, ' +
      'fromUnixTimestamp64Milli(ingest_ts, \'UTC\') AS ingestion_time, message ' +
      `FROM log_events WHERE ${where(scope)} AND key_id = ''`,
    columns: [
      { name: 'log_group', type: 'varchar' }, { name: 'log_stream', type: 'varchar' }, { name: 'timestamp', type: 'timestamp(3)' },
      { name: 'ingestion_time', type: 'timestamp(3)' }, { name: 'message', type: 'varchar' },
    ],
  };
}

/**
 * Raw points are kept 3 hours; before that, the 1-minute tier (15 days) answers, its rows keyed by
 * series id and joined to metric_series (account-scoped) for names and dimensions. One cutoff,
 * computed once per query, splits the two so no point is counted twice while raw parts await their
 * TTL drop.
 */
const CUTOFF = `(intDiv(toUnixTimestamp64Milli(now64(3)) - ${RAW_RETENTION_MS}, 60000) * 60000)`;

/** The 1 min tier, and how to read its min and max (its one-value rows keep them in `sum`). */
const MINUTE_TIER = ROLLUP_TIERS[0]!;
const MINUTE = tierColumnsSql(MINUTE_TIER);

function metrics(scope: { account: string; region: string }): TableSource {
  const raw = 'SELECT toString(namespace) AS namespace, toString(metric_name) AS metric_name, ' +
    "CAST(dimensions, 'Map(String, String)') AS dimensions, ts, toString(unit) AS unit, sample_count, sum, min, max " +
    `FROM metric_raw WHERE ${where(scope)} AND ts >= ${CUTOFF}`;
  const series = `SELECT DISTINCT ${SERIES_ID_SQL} AS series, toString(namespace) AS namespace, toString(metric_name) AS metric_name, ` +
    `CAST(dimensions, 'Map(String, String)') AS dimensions FROM metric_series WHERE ${where(scope)}`;
  // Inner aliases differ from the column names: ClickHouse resolves a name to a same-named alias first.
  const minutes = 'SELECT s.namespace, s.metric_name, s.dimensions, m.ts, toString(m.unit) AS unit, m.n AS sample_count, m.s AS sum, m.lo AS min, m.hi AS max ' +
    `FROM (SELECT series, unit, ts, sum(sample_count) AS n, sum(sum) AS s, min(${MINUTE.min}) AS lo, max(${MINUTE.max}) AS hi ` +
    `FROM ${MINUTE_TIER.table} WHERE ts < ${CUTOFF} AND series IN (SELECT series FROM (${series})) GROUP BY series, unit, ts) AS m ` +
    `INNER JOIN (${series}) AS s ON m.series = s.series`;
  return {
    sql: "SELECT namespace, metric_name, dimensions, fromUnixTimestamp64Milli(ts, 'UTC') AS `timestamp`, unit, sample_count, sum, " +
      `min AS minimum, max AS maximum, if(sample_count > 0, sum / sample_count, NULL) AS average FROM (${raw} UNION ALL ${minutes})`,
    columns: [
      { name: 'namespace', type: 'varchar' }, { name: 'metric_name', type: 'varchar' }, { name: 'dimensions', type: 'map(varchar,varchar)' },
      { name: 'timestamp', type: 'timestamp(3)' }, { name: 'unit', type: 'varchar' }, { name: 'sample_count', type: 'double' },
      { name: 'sum', type: 'double' }, { name: 'minimum', type: 'double' }, { name: 'maximum', type: 'double' }, { name: 'average', type: 'double' },
    ],
  };
}

/** A record member as text: strings as they are, objects/arrays/numbers as JSON, absent or null → NULL. */
const member = (key: string) => {
  const k = stringLiteral(key);
  return `multiIf(JSONType(record, ${k}) = 'String', JSONExtractString(record, ${k}), JSONType(record, ${k}) = 'Null', NULL, JSONExtractRaw(record, ${k}))`;
};

/** AWS's CloudTrail table for Athena: column name → record member, in its column order. */
const CLOUDTRAIL_COLUMNS: [string, string, string][] = [
  ['eventversion', 'eventVersion', 'varchar'], ['useridentity', 'userIdentity', 'json'], ['eventtime', 'eventTime', 'varchar'],
  ['eventsource', 'eventSource', 'varchar'], ['eventname', 'eventName', 'varchar'], ['awsregion', 'awsRegion', 'varchar'],
  ['sourceipaddress', 'sourceIPAddress', 'varchar'], ['useragent', 'userAgent', 'varchar'], ['errorcode', 'errorCode', 'varchar'],
  ['errormessage', 'errorMessage', 'varchar'], ['requestparameters', 'requestParameters', 'varchar'],
  ['responseelements', 'responseElements', 'varchar'], ['additionaleventdata', 'additionalEventData', 'varchar'],
  ['requestid', 'requestID', 'varchar'], ['eventid', 'eventID', 'varchar'], ['resources', 'resources', 'json'],
  ['eventtype', 'eventType', 'varchar'], ['apiversion', 'apiVersion', 'varchar'], ['readonly', 'readOnly', 'varchar'],
  ['recipientaccountid', 'recipientAccountId', 'varchar'], ['serviceeventdetails', 'serviceEventDetails', 'varchar'],
  ['sharedeventid', 'sharedEventID', 'varchar'], ['vpcendpointid', 'vpcEndpointId', 'varchar'], ['tlsdetails', 'tlsDetails', 'json'],
];

function cloudtrail(scope: { account: string; region: string }): TableSource {
  const select = CLOUDTRAIL_COLUMNS.map(([name, key]) => `${member(key)} AS \`${name}\``).join(', ');
  return {
    sql: `SELECT ${select} FROM trail_events WHERE ${where(scope)}`,
    columns: CLOUDTRAIL_COLUMNS.map(([name, , type]) => ({ name, type })),
  };
}

export function ospreyTables(scope: { account: string; region: string }): Record<string, TableSource> {
  return { logs: logs(scope), metrics: metrics(scope), cloudtrail: cloudtrail(scope), spans: spans(scope),
    alarm_history: alarmHistory(scope) };
}

/** A catalog of just the osprey tables (the API adds external tables to its own). */
export function ospreyCatalog(scope: { account: string; region: string }, defaultDatabase = OSPREY_DATABASE): Catalog {
  const tables = ospreyTables(scope);
  return {
    defaultDatabase,
    table: (db, name) => (db === OSPREY_DATABASE && Object.hasOwn(tables, name) ? tables[name] : undefined),
  };
}
