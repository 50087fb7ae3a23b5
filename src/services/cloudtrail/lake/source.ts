/**
 * A store's contents as a ClickHouse subquery over `trail_events`: the caller's account, the
 * store's region (or all of the account's regions when multi-region), records stored after the
 * store was created (storeStart), within its retention, and selected by its advanced event
 * selectors. Every value is a literal produced here; nothing comes from a query statement.
 *
 * A store whose retention is at most 90 days reads `trail_events` directly (it keeps 90 days); a
 * longer one is archived (archive.ts) and reads its archive plus the not yet archived tail.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector } from '@aws-sdk/client-cloudtrail';
import { intLiteral } from '../../../store/telemetry/sql-literal.ts';
import { quote } from './sql/fields.ts';
import type { EventDataStore } from './repo.ts';

const DAY_MS = 86_400_000;

/** Selector field → (ClickHouse expression, is it an array). */
const FIELD_SQL: Record<string, [string, boolean]> = {
  eventCategory: ['event_category', false],
  eventSource: ['event_source', false],
  eventName: ['event_name', false],
  eventType: ["JSONExtractString(record, 'eventType')", false],
  readOnly: ["if(read_only = 1, 'true', 'false')", false],
  errorCode: ['error_code', false],
  'userIdentity.arn': ["JSONExtractString(record, 'userIdentity', 'arn')", false],
  sessionCredentialFromConsole: ["if(JSONExtractString(record, 'eventType') = 'AwsConsoleSignIn', 'true', 'false')", false],
  'resources.type': ['resource_types', true],
  'resources.ARN': ["arrayMap(x -> JSONExtractString(x, 'ARN'), JSONExtractArrayRaw(record, 'resources'))", true],
};

/**
 * Where a store begins in the telemetry of `scope`. In the scope that created it, exactly after the
 * records stored before its creation (seq above `startSeq`; a call that began up to a minute before
 * and was recorded after still belongs). Elsewhere (another node's embedded store, whose sequence
 * numbers are its own) by time: the calls made from its creation on.
 */
export function storeStart(store: EventDataStore, scope: string): { seq: number; time: number } {
  const own = store.startScope === undefined || store.startScope === scope;
  return own ? { seq: store.startSeq, time: store.created - 60_000 } : { seq: 0, time: store.created };
}

export function storeSource(store: EventDataStore, now: number, scope: string): string {
  return `(SELECT * FROM trail_events WHERE ${storeConditions(store, now, scope).join(' AND ')})`;
}

/** The conditions a `trail_events` row of `scope`'s telemetry meets to belong to the store. */
export function storeConditions(store: EventDataStore, now: number, scope: string): string[] {
  const start = storeStart(store, scope);
  return [
    `account = ${quote(store.account)}`,
    ...(store.multiRegionEnabled ? [] : [`region = ${quote(store.region)}`]),
    `seq > ${intLiteral(start.seq)}`,
    `event_time >= ${intLiteral(Math.max(start.time, now - store.retentionPeriod * DAY_MS))}`,
    `(${store.advancedEventSelectors.map(selectorSql).join(' OR ') || '0'})`,
  ];
}

/** One advanced selector: all its field conditions hold. */
export function selectorSql(s: AdvancedEventSelector): string {
  const parts = (s.FieldSelectors ?? []).map(fieldSql);
  return parts.length === 0 ? '1' : `(${parts.join(' AND ')})`;
}

function fieldSql(fs: AdvancedFieldSelector): string {
  const spec = FIELD_SQL[fs.Field ?? ''];
  if (!spec) return '0';
  const [expr, isArray] = spec;
  const v = isArray ? 'v' : expr;
  const conds: string[] = [];
  const anyOf = (ops: string[] | undefined, f: (o: string) => string) => (ops?.length ? `(${ops.map(f).join(' OR ')})` : undefined);
  const pos = [
    anyOf(fs.Equals, (o) => `${v} = ${quote(o)}`),
    anyOf(fs.StartsWith, (o) => `startsWith(${v}, ${quote(o)})`),
    anyOf(fs.EndsWith, (o) => `endsWith(${v}, ${quote(o)})`),
  ];
  const neg = [
    anyOf(fs.NotEquals, (o) => `${v} = ${quote(o)}`),
    anyOf(fs.NotStartsWith, (o) => `startsWith(${v}, ${quote(o)})`),
    anyOf(fs.NotEndsWith, (o) => `endsWith(${v}, ${quote(o)})`),
  ];
  for (const p of pos) if (p) conds.push(p);
  for (const n of neg) if (n) conds.push(`NOT ${n}`);
  const all = conds.join(' AND ') || '1';
  if (isArray) return `arrayExists(v -> ${all}, ${expr})`;
  // errorCode absent (''): only negative conditions can hold, as in the trails' matcher.
  return fs.Field === 'errorCode' && pos.some(Boolean) ? `(error_code != '' AND ${all})` : `(${all})`;
}
