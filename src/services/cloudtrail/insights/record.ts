/**
 * An Insights event record in AWS's shape for trails ("CloudTrail record contents for Insights
 * events for trails"): no caller, no request — the API it is about, the state (Start / End, tied by
 * `sharedEventID`) and `insightDetails.insightContext` with the baseline and insight averages per
 * minute, the durations in minutes and the top contributors (attributions).
 */
import { EVENT_VERSION } from '../record/build.ts';
import type { CloudTrailRecord } from '../record/types.ts';

export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';
/** The events an insight analyses: management events (AWS's default) or data events. */
export type SourceCategory = 'Management' | 'Data';

/** One analysed series: an API (and, for error rates, one error code) in an account and region. */
export interface SeriesKey {
  account: string;
  region: string;
  category: SourceCategory;
  insightType: InsightType;
  eventSource: string;
  eventName: string;
  /** The error code for ApiErrorRateInsight; '' for ApiCallRateInsight. */
  errorCode: string;
}

export type AttributeName = 'userIdentityArn' | 'userAgent' | 'errorCode';
export interface AttributionValue { value: string; average: number }
export interface Attribution { attribute: AttributeName; insight: AttributionValue[]; baseline: AttributionValue[] }

export interface InsightEvent {
  key: SeriesKey;
  state: 'Start' | 'End';
  sharedEventID: string;
  eventID: string;
  /** Epoch ms: when the unusual activity started (Start) or stopped (End). */
  time: number;
  /** Per-minute averages. */
  baselineAverage: number;
  insightAverage: number;
  /** Minutes. */
  insightDuration: number;
  baselineDuration: number;
  attributions: Attribution[];
}

/** AWS writes second precision: `2026-12-05T02:17:00Z`. */
export const recordTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Averages as AWS writes them: plain numbers, rounded to 6 significant digits (9.82222E-5 in its example). */
const round = (n: number): number => Number(n.toPrecision(6));

export function insightRecord(e: InsightEvent): CloudTrailRecord {
  const k = e.key;
  const details = {
    state: e.state,
    eventSource: k.eventSource,
    eventName: k.eventName,
    insightType: k.insightType,
    ...(k.insightType === 'ApiErrorRateInsight' ? { errorCode: k.errorCode } : {}),
    ...(k.category === 'Data' ? { sourceEventCategory: 'Data' } : {}),
    insightContext: {
      statistics: {
        baseline: { average: round(e.baselineAverage) },
        insight: { average: round(e.insightAverage) },
        insightDuration: e.insightDuration,
        baselineDuration: e.baselineDuration,
      },
      attributions: e.attributions.map((a) => ({
        attribute: a.attribute,
        insight: a.insight.map((v) => ({ value: v.value, average: round(v.average) })),
        baseline: a.baseline.map((v) => ({ value: v.value, average: round(v.average) })),
      })),
    },
  };
  const record = {
    eventVersion: EVENT_VERSION,
    eventTime: recordTime(e.time),
    awsRegion: k.region,
    eventID: e.eventID,
    eventType: 'AwsCloudTrailInsight',
    recipientAccountId: k.account,
    sharedEventID: e.sharedEventID,
    insightDetails: details,
    eventCategory: 'Insight',
  } as const;
  // AWS's Insights record has none of an API call's members (caller, request, readOnly…), which
  // CloudTrailRecord requires; the store, history and trails read Insights records by their own
  // members (record/row.ts, history/lookup-events.ts), so the record is stored exactly as AWS writes it.
  return record as unknown as CloudTrailRecord;
}
