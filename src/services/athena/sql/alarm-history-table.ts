/**
 * `osprey.alarm_history`: the account's CloudWatch alarm history in this Region — the items
 * DescribeAlarmHistory returns, one row each, in its member names (AlarmName → alarm_name …).
 *
 * - The rows are the telemetry store's copy of the metadata store's history (the cloudwatch
 *   module's copy job), so an item appears about a second after it was written.
 * - 30 days, as CloudWatch keeps: older items are left out here even before their part is dropped.
 * - `history_data` is the item's JSON document (type `json`), so json_extract* read its members,
 *   e.g. `json_extract_scalar(history_data, '$.newState.stateValue')`.
 */
import { ALARM_HISTORY_RETENTION_DAYS, ALARM_HISTORY_TABLE } from '../../../store/telemetry/alarm-history.ts';
import type { TableSource } from './catalog.ts';
import { where } from './table-scope.ts';

/** [column, ClickHouse expression over alarm_history, Athena type], in the table's column order. */
const COLUMNS: [string, string, string][] = [
  ['alarm_name', 'alarm_name', 'varchar'],
  ['alarm_type', 'toString(alarm_type)', 'varchar'],
  ['timestamp', 'ts', 'timestamp(3)'],
  ['history_item_type', 'toString(item_type)', 'varchar'],
  ['history_summary', 'summary', 'varchar'],
  ['history_data', 'data', 'json'],
];

export function alarmHistory(scope: { account: string; region: string }): TableSource {
  const select = COLUMNS.map(([name, expr]) => `${expr} AS \`${name}\``).join(', ');
  return {
    sql: `SELECT ${select} FROM ${ALARM_HISTORY_TABLE} WHERE ${where(scope)} ` +
      `AND ts >= now64(3, 'UTC') - INTERVAL ${ALARM_HISTORY_RETENTION_DAYS} DAY`,
    columns: COLUMNS.map(([name, , type]) => ({ name, type })),
  };
}
