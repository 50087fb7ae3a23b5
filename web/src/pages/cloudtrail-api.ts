// CloudTrail helpers shared by the page's parts: the client (made on first use from the session's
// config, so other pages don't carry it), links, lookup attributes, time ranges and the Logs
// Insights hand-off for trails that deliver to a log group.
import { CloudTrailClient, type LookupAttributeKey, type Trail } from '@aws-sdk/client-cloudtrail';
import { useSession } from '../app-context.ts';
import type { Clients } from '../aws.ts';
import { href } from '../router.ts';

const made = new WeakMap<Clients, CloudTrailClient>();

/** The CloudTrail client of the signed-in session (one per session, like the shared clients). */
export function useCloudTrail(): CloudTrailClient {
  const c = useSession();
  let ct = made.get(c);
  if (!ct) made.set(c, (ct = new CloudTrailClient(c.config)));
  return ct;
}

export const cloudTrailLink = (params: Record<string, string | undefined> = {}) => href('/cloudtrail', params);

/** The event history's lookup attributes, in the AWS console's order and wording. */
export const LOOKUP_ATTRIBUTES: { key: LookupAttributeKey; label: string; placeholder: string }[] = [
  { key: 'EventName', label: 'Event name', placeholder: 'DeleteLogGroup' },
  { key: 'Username', label: 'User name', placeholder: 'alice' },
  { key: 'ResourceType', label: 'Resource type', placeholder: 'AWS::Logs::LogGroup' },
  { key: 'ResourceName', label: 'Resource name', placeholder: '/app/web' },
  { key: 'EventSource', label: 'Event source', placeholder: 'logs.amazonaws.com' },
  { key: 'AccessKeyId', label: 'AWS access key', placeholder: 'AKIA…' },
  { key: 'EventId', label: 'Event ID', placeholder: '3f1c…' },
  { key: 'ReadOnly', label: 'Read-only', placeholder: 'true' },
];

/** Relative ranges the page offers; event history keeps 90 days. */
export const CT_RANGES = ['1h', '3h', '12h', '1d', '1w', '90d'] as const;

/** A CloudWatchLogsLogGroupArn (`arn:aws:logs:<region>:<account>:log-group:<name>:*`) → the group's name. */
export function logGroupNameOfArn(arn: string | undefined): string | undefined {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(arn ?? '');
  return m?.[1];
}

/** The first trail that delivers to a log group, and that group's name: where Logs Insights can look. */
export function trailLogGroup(trails: Trail[]): { trail: string; group: string } | undefined {
  for (const t of trails) {
    const group = logGroupNameOfArn(t.CloudWatchLogsLogGroupArn);
    if (group) return { trail: t.Name ?? '', group };
  }
  return undefined;
}

/** Insights string literals are double-quoted; a quote or backslash inside is escaped. */
const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** The Logs Insights query that lists a trail's records of one event name (or all), newest first. */
export function insightsQuery(eventName?: string): string {
  return [
    'fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, errorCode',
    ...(eventName ? [`filter eventName = ${quoted(eventName)}`] : []),
    'sort @timestamp desc',
    'limit 100',
  ].join('\n| ');
}

/** The Logs Insights page with the group picked and the query filled in (it runs on open). */
export const insightsLink = (group: string, range: string, eventName?: string) =>
  href('/insights', { groups: group, range, query: insightsQuery(eventName) });

/** CloudTrailEvent (a JSON string) pretty-printed; left as sent if it does not parse. */
export function prettyRecord(json: string | undefined): string {
  try {
    return JSON.stringify(JSON.parse(json ?? ''), null, 2);
  } catch {
    return json ?? '';
  }
}
