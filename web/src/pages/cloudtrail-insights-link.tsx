// "Show in Logs Insights": event history itself is not a log group, so the hand-off needs a trail
// that delivers to one (CloudWatchLogsLogGroupArn). With one, the button opens Logs Insights on that
// group with a query for the event name; without, it says what to set up instead of failing there.
import { useState } from 'react';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { navigate } from '../router.ts';
import { useAsync } from '../ui.tsx';
import { cloudTrailLink, insightsLink, trailLogGroup, useCloudTrail } from './cloudtrail-api.ts';

/** The trail and log group Logs Insights reads; undefined while loading, null when no trail has a group. */
export type InsightsTarget = { trail: string; group: string } | null | undefined;

/** The account's trails (shadow trails of multi-Region ones included), looked up once per view. */
export function useInsightsTarget(): InsightsTarget {
  const ct = useCloudTrail();
  const trails = useAsync(async () => (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [], []);
  if (trails.error) return null;
  return trails.data && (trailLogGroup(trails.data) ?? null);
}

export function ShowInInsights({ eventName, range, target }: { eventName?: string; range: string; target: InsightsTarget }) {
  const [explain, setExplain] = useState(false);
  const open = () => {
    if (target) navigate(insightsLink(target.group, range, eventName));
    else setExplain(true);
  };
  return (
    <span>
      <button type="button" disabled={target === undefined} onClick={open}
        title={target ? `Query ${target.group} (trail ${target.trail}) in Logs Insights` : undefined}>
        Show in Logs Insights
      </button>
      {explain && target === null && (
        <span role="note" className="muted" style={{ marginLeft: 8 }}>
          Logs Insights reads log groups: make a trail deliver to a CloudWatch Logs log group first
          (<a href={cloudTrailLink({ tab: 'trails' })} onClick={(e) => (e.preventDefault(), navigate(cloudTrailLink({ tab: 'trails' })))}>Trails</a>).
        </span>
      )}
    </span>
  );
}
