/**
 * LookupEvents: the account's event history in one region, newest first — management events (or,
 * with EventCategory=insight, Insights events) of the last 90 days, filtered by at most one lookup
 * attribute. Reads first flush the recorder, so a call answered before this one is always seen.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { lookupResources, usernameOf } from '../record/row.ts';
import type { CloudTrailRecord } from '../record/types.ts';

type Input = CallInput<'cloudtrail', 'LookupEvents'>;
type Output = CallOutput<'cloudtrail', 'LookupEvents'>;

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** Lookup attribute → the `trail_events` condition it becomes (the value is bound as {v}). */
const ATTRIBUTE_SQL: Record<string, string> = {
  EventId: 'event_id = {v:String}',
  EventName: 'event_name = {v:String}',
  ReadOnly: 'read_only = {v:UInt8}',
  Username: 'username = {v:String}',
  ResourceType: 'has(resource_types, {v:String})',
  ResourceName: 'has(resource_names, {v:String})',
  EventSource: 'event_source = {v:String}',
  AccessKeyId: 'access_key_id = {v:String}',
};

interface Page { t: number; s: number; q: string }

export async function lookupEvents(deps: Pick<CloudTrailDeps, 'events' | 'recorder'>, ctx: Ctx, input: Input): Promise<Output> {
  const { where, params } = conditions(ctx, input);
  const max = input.MaxResults ?? 50;
  if (max < 1 || max > 50) throw new ServiceError('InvalidMaxResultsException', 'MaxResults must be a value between 1 and 50.');
  const fingerprint = JSON.stringify([input.LookupAttributes, input.StartTime, input.EndTime, input.EventCategory]);
  if (input.NextToken !== undefined) {
    const page = decodeToken(input.NextToken, fingerprint);
    where.push('(event_time, seq) < ({pt:Int64}, {ps:UInt64})');
    Object.assign(params, { pt: page.t, ps: page.s });
  }
  await deps.recorder.flush();
  const rows = await deps.events.engine.query<{ event_time: string | number; seq: string | number; record: string }>(
    `SELECT event_time, seq, record FROM trail_events WHERE ${where.join(' AND ')} ORDER BY event_time DESC, seq DESC LIMIT {lim:UInt32}`,
    { ...params, lim: max + 1 },
  );
  const page = rows.slice(0, max);
  const last = page.at(-1);
  return {
    Events: page.map((r) => toEvent(JSON.parse(r.record) as CloudTrailRecord, r.record)),
    ...(rows.length > max && last ? { NextToken: encodeToken({ t: Number(last.event_time), s: Number(last.seq), q: fingerprint }) } : {}),
  };
}

function conditions(ctx: Ctx, input: Input): { where: string[]; params: Record<string, unknown> } {
  const now = ctx.clock.now();
  const end = input.EndTime?.getTime() ?? now;
  const start = input.StartTime?.getTime() ?? now - HISTORY_DAYS * DAY_MS;
  if (start > end) throw new ServiceError('InvalidTimeRangeException', 'Start time must be earlier than end time.');
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw new ServiceError('InvalidEventCategoryException', `Event category ${String(input.EventCategory)} is not valid. Valid value: insight.`);
  }
  const where = [
    'account = {a:String}', 'region = {r:String}', 'event_time >= {start:Int64}', 'event_time <= {end:Int64}',
    input.EventCategory === 'insight' ? "event_category = 'Insight'" : "event_category = 'Management'",
  ];
  // Event history keeps 90 days whatever the table still holds before TTL merges run.
  const params: Record<string, unknown> = { a: ctx.account, r: ctx.region, start: Math.max(start, now - HISTORY_DAYS * DAY_MS), end };
  const attrs = input.LookupAttributes ?? [];
  if (attrs.length > 1) throw new ServiceError('InvalidLookupAttributesException', 'You can specify only one lookup attribute.');
  const [attr] = attrs;
  if (attr) {
    const sql = ATTRIBUTE_SQL[attr.AttributeKey ?? ''];
    if (!sql) throw new ServiceError('InvalidLookupAttributesException', `Lookup attribute key ${String(attr.AttributeKey)} is not valid.`);
    const value = attr.AttributeValue ?? '';
    if (attr.AttributeKey === 'ReadOnly' && value !== 'true' && value !== 'false') {
      throw new ServiceError('InvalidLookupAttributesException', 'The value of the ReadOnly lookup attribute must be true or false.');
    }
    where.push(sql);
    params.v = attr.AttributeKey === 'ReadOnly' ? (value === 'true' ? 1 : 0) : value;
  }
  return { where, params };
}

function toEvent(r: CloudTrailRecord, json: string): NonNullable<Output['Events']>[number] {
  if (r.eventCategory === 'Insight') return insightEvent(r, json);
  const u = r.userIdentity;
  const username = usernameOf(u);
  const resources = lookupResources(r);
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly),
    ...(u.accessKeyId ? { AccessKeyId: u.accessKeyId } : {}),
    EventTime: new Date(r.eventTime),
    EventSource: r.eventSource,
    ...(username ? { Username: username } : {}),
    Resources: resources,
    CloudTrailEvent: json,
  };
}

/** An Insights record has no caller or request: it is listed under the API it is about. */
function insightEvent(r: CloudTrailRecord, json: string): NonNullable<Output['Events']>[number] {
  const d = r.insightDetails ?? {};
  return {
    EventId: r.eventID,
    ...(typeof d.eventName === 'string' ? { EventName: d.eventName } : {}),
    ReadOnly: 'false',
    EventTime: new Date(r.eventTime),
    ...(typeof d.eventSource === 'string' ? { EventSource: d.eventSource } : {}),
    Resources: [],
    CloudTrailEvent: json,
  };
}

const encodeToken = (p: Page) => Buffer.from(JSON.stringify(p)).toString('base64url');

function decodeToken(token: string, fingerprint: string): Page {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Page;
    if (typeof p.t === 'number' && typeof p.s === 'number' && p.q === fingerprint) return p;
  } catch {
    // fall through: any undecodable token is refused the same way
  }
  throw new ServiceError('InvalidNextTokenException', 'The NextToken is not valid for this request.');
}
