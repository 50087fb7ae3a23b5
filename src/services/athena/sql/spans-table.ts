/**
 * `osprey.spans`: the account's X-Ray segment documents (trace_segments) — from PutTraceSegments,
 * the daemon and OTLP (where every span is one document) — one row per document, in the fields
 * of AWS's segment documents that people filter and group on: ids, name, times and duration,
 * the HTTP block, the error/fault/throttle flags and annotations; the rest as `json`.
 *
 * - A segment sent in progress and then complete appears once, complete: an in-progress document
 *   shows only while its segment has no complete one (X-Ray's rule, "complete beats in-progress").
 *   The restriction is written so the caller's own filters still reach the scan.
 * - Subsegments sent on their own (`type` 'subsegment', OTLP's non-server spans) are rows;
 *   subsegments nested in a document are in its `subsegments` json.
 * - Documents sealed with a KMS key (X-Ray's encryption config) can only be opened in JS by the
 *   X-Ray service, so SQL leaves them out, as it does sealed log events.
 */
import { SEALED } from '../../../store/telemetry/trace-segments.ts';
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import type { TableSource } from './catalog.ts';
import { where } from './table-scope.ts';

/** A member of the document as text: `'http', 'request', 'method'` → Nullable(String). */
const text = (...path: string[]) => `JSONExtract(document, ${path.map(stringLiteral).join(', ')}, 'Nullable(String)')`;
/** An object/array member as JSON text, NULL when absent. */
const raw = (key: string) => `nullIf(JSONExtractRaw(document, ${stringLiteral(key)}), '')`;
const flag = (key: string) => `CAST(JSONExtractBool(document, ${stringLiteral(key)}), 'Bool')`;
const ANNOTATIONS = "JSONExtractKeysAndValuesRaw(document, 'annotations')";
/** Annotation values are strings, numbers or booleans: strings unquoted, the others as written. */
const annotations = `CAST(mapFromArrays(arrayMap(kv -> kv.1, ${ANNOTATIONS}), ` +
  `arrayMap(kv -> if(JSONType(kv.2) = 'String', JSONExtractString(kv.2), kv.2), ${ANNOTATIONS})), 'Map(String, String)')`;
const FINISHED = '(in_progress = 0 AND end_time > 0)';

/** [column, ClickHouse expression over trace_segments, Athena type], in the table's column order. */
const COLUMNS: [string, string, string][] = [
  ['trace_id', 'trace_id', 'varchar'], ['id', 'id', 'varchar'], ['parent_id', "nullIf(parent_id, '')", 'varchar'],
  ['type', "if(subsegment = 1, 'subsegment', 'segment')", 'varchar'], ['name', 'name', 'varchar'], ['origin', "nullIf(toString(origin), '')", 'varchar'],
  ['start_time', "toDateTime64(start_time, 3, 'UTC')", 'timestamp(3)'],
  ['end_time', `if(${FINISHED}, toDateTime64(end_time, 3, 'UTC'), NULL)`, 'timestamp(3)'],
  ['duration', `if(${FINISHED}, end_time - start_time, NULL)`, 'double'], ['in_progress', "CAST(in_progress, 'Bool')", 'boolean'],
  ['http_method', text('http', 'request', 'method'), 'varchar'], ['http_url', text('http', 'request', 'url'), 'varchar'],
  ['http_status', "JSONExtract(document, 'http', 'response', 'status', 'Nullable(Int64)')", 'bigint'],
  ['http_client_ip', text('http', 'request', 'client_ip'), 'varchar'], ['http_user_agent', text('http', 'request', 'user_agent'), 'varchar'],
  ['error', flag('error'), 'boolean'], ['fault', flag('fault'), 'boolean'], ['throttle', flag('throttle'), 'boolean'],
  ['annotations', annotations, 'map(varchar,varchar)'], ['metadata', raw('metadata'), 'json'], ['aws', raw('aws'), 'json'],
  ['cause', raw('cause'), 'json'], ['sql', raw('sql'), 'json'], ['namespace', text('namespace'), 'varchar'], ['user', text('user'), 'varchar'],
  ['resource_arn', text('resource_arn'), 'varchar'], ['service_version', text('service', 'version'), 'varchar'],
  ['subsegments', raw('subsegments'), 'json'], ['document', 'document', 'json'],
];

export function spans(scope: { account: string; region: string }): TableSource {
  const w = where(scope);
  // Segments that have completed, among the traces holding an in-progress document (few).
  const completed = `SELECT trace_id, id FROM trace_segments WHERE ${w} AND in_progress = 0 ` +
    `AND trace_id IN (SELECT trace_id FROM trace_segments WHERE ${w} AND in_progress = 1)`;
  const select = COLUMNS.map(([name, expr]) => `${expr} AS \`${name}\``).join(', ');
  return {
    sql: `SELECT ${select} FROM trace_segments WHERE ${w} AND NOT startsWith(document, ${stringLiteral(SEALED)}) ` +
      `AND (in_progress = 0 OR (trace_id, id) NOT IN (${completed}))`,
    columns: COLUMNS.map(([name, , type]) => ({ name, type })),
  };
}
