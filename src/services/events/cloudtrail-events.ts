/**
 * "AWS API Call via CloudTrail" (and "AWS Console Sign In via CloudTrail") on each account's default
 * bus: every management call CloudTrail recorded, with the record as `detail` and source
 * `aws.<service>`. As in AWS, read-only calls reach only rules in state
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS. CloudTrail Insights events (Start and End) go out
 * as "AWS Insight via CloudTrail" with source `aws.cloudtrail`. Best effort: a failure is logged.
 */
import { randomUUID } from 'node:crypto';
import type { AwsEvent } from '../../server/facts.ts';
import type { StoredTrailEvent } from '../../server/trail-record.ts';
import type { EventsDeps } from './deps.ts';
import type { BusEvent, Dispatcher } from './dispatch.ts';
import { DEFAULT_BUS } from './names.ts';

/** eventSource host → event source, where AWS does not simply prefix the endpoint with `aws.`. */
const SOURCE_OVERRIDES: Record<string, string> = { monitoring: 'aws.cloudwatch' };

const ALL_MANAGEMENT = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export async function publishApiCallEvents(deps: EventsDeps, dispatcher: Dispatcher, batch: readonly StoredTrailEvent[]): Promise<void> {
  const groups = new Map<string, { account: string; region: string; writes: BusEvent[]; reads: BusEvent[] }>();
  for (const e of batch) {
    const r = e.record;
    const kind = kindOf(r);
    if (!kind) continue;
    const event: AwsEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': kind.detailType,
      source: kind.source,
      account: e.account,
      time: r.eventTime,
      region: e.region,
      resources: [],
      detail: r,
    };
    const key = `${e.account}\u0000${e.region}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { account: e.account, region: e.region, writes: [], reads: [] }));
    (r.readOnly ? g.reads : g.writes).push({ event, json: JSON.stringify(event), ingestedAt: deps.clock.now() });
  }
  for (const g of groups.values()) {
    const scope = { account: g.account, region: g.region };
    try {
      if (g.writes.length > 0) await dispatcher.dispatch(scope, DEFAULT_BUS, g.writes);
      if (g.reads.length > 0) await dispatcher.dispatch(scope, DEFAULT_BUS, g.reads, (rule) => rule.state === ALL_MANAGEMENT);
    } catch (err) {
      deps.log.error({ err, account: g.account, region: g.region }, 'events: could not route CloudTrail API call events');
    }
  }
}

function kindOf(r: StoredTrailEvent['record']): { detailType: string; source: string } | undefined {
  if (r.eventCategory === 'Insight') return { detailType: 'AWS Insight via CloudTrail', source: 'aws.cloudtrail' };
  if (r.eventCategory !== 'Management' || (r.eventType !== 'AwsApiCall' && r.eventType !== 'AwsConsoleSignIn')) return undefined;
  const host = r.eventSource.split('.')[0]!;
  return {
    detailType: r.eventType === 'AwsConsoleSignIn' ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail',
    source: SOURCE_OVERRIDES[host] ?? `aws.${host}`,
  };
}
