/** A stored record → the `trail_events` row: the record's JSON plus the columns reads filter on. */
import type { TrailEventRow } from '../../../store/telemetry/trail-events.ts';
import type { CloudTrailRecord, StoredTrailEvent, UserIdentity } from './types.ts';

export function toRow(e: StoredTrailEvent): TrailEventRow {
  const r = e.record;
  if (r.eventCategory === 'Insight') return insightRow(e);
  return {
    account: e.account,
    region: e.region,
    eventTime: e.eventTime,
    seq: e.seq,
    eventId: r.eventID,
    eventCategory: r.eventCategory,
    eventSource: r.eventSource,
    eventName: r.eventName,
    readOnly: r.readOnly,
    username: usernameOf(r.userIdentity),
    accessKeyId: r.userIdentity.accessKeyId ?? '',
    errorCode: r.errorCode ?? '',
    resourceTypes: (r.resources ?? []).map((x) => x.type),
    resourceNames: (r.resources ?? []).map((x) => x.name ?? x.ARN ?? ''),
    record: JSON.stringify(r),
  };
}

/**
 * An Insights record (AWS's shape: no caller, no request) is filed under the API it is about, so
 * LookupEvents' EventName / EventSource attributes find it.
 */
function insightRow(e: StoredTrailEvent): TrailEventRow {
  const d = e.record.insightDetails ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    account: e.account, region: e.region, eventTime: e.eventTime, seq: e.seq, eventId: e.record.eventID, eventCategory: 'Insight',
    eventSource: str(d.eventSource), eventName: str(d.eventName), readOnly: false, username: '', accessKeyId: '',
    errorCode: str(d.errorCode), resourceTypes: [], resourceNames: [], record: JSON.stringify(e.record),
  };
}

/** LookupEvents' "User name": the IAM user, the role session, `root`, or the service. */
export function usernameOf(u: UserIdentity): string {
  if (u.userName) return u.userName;
  if (u.type === 'Root') return 'root';
  if (u.type === 'AssumedRole') return u.arn?.split('/').at(-1) ?? '';
  return u.invokedBy ?? '';
}

/** The resources LookupEvents reports for a record: type and name. */
export function lookupResources(r: CloudTrailRecord): Array<{ ResourceType: string; ResourceName: string }> {
  return (r.resources ?? []).map((x) => ({ ResourceType: x.type, ResourceName: x.name ?? x.ARN ?? '' }));
}
