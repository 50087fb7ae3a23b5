// Insights events → timeline bars. CloudTrail writes an insight as a pair of records sharing
// sharedEventID: state Start (when the rate left its baseline) and End (when it came back). A Start
// without its End is still open and runs to now; an End whose Start is before the range starts at
// the range's start. No DOM here: the pairing is tested on its own.

/** The parts of an Insights record (insightDetails) the page reads. */
interface InsightRecord {
  eventTime?: string;
  sharedEventID?: string;
  eventID?: string;
  insightDetails?: {
    state?: string;
    eventSource?: string;
    eventName?: string;
    insightType?: string;
    errorCode?: string;
    insightContext?: { statistics?: Statistics; attributions?: Attribution[] };
  };
}

export interface Statistics {
  baseline?: { average?: number };
  insight?: { average?: number };
  insightDuration?: number;
  baselineDuration?: number;
}

export interface Attribution {
  attribute?: string;
  insight?: { value?: string; average?: number }[];
  baseline?: { value?: string; average?: number }[];
}

export interface InsightBar {
  id: string;
  eventName: string;
  eventSource: string;
  insightType: string;
  errorCode?: string;
  /** The timeline row: event name, type and (for error-rate insights) the error code. */
  lane: string;
  start: number;
  end: number;
  /** No End record yet: the insight is still going on. */
  open: boolean;
  /** An End record whose Start is before the range. */
  startClipped: boolean;
  statistics?: Statistics;
  attributions: Attribution[];
}

const parse = (json: string | undefined): InsightRecord | undefined => {
  try {
    return JSON.parse(json ?? '') as InsightRecord;
  } catch {
    return undefined;
  }
};

export function laneOf(d: NonNullable<InsightRecord['insightDetails']>): string {
  return [d.eventName ?? '?', d.insightType ?? '?', d.errorCode].filter(Boolean).join(' · ');
}

/** Pairs Start and End records (LookupEvents' CloudTrailEvent strings) into bars, earliest first. */
export function insightBars(records: (string | undefined)[], range: { start: number; now: number }): InsightBar[] {
  const byId = new Map<string, { start?: InsightRecord; end?: InsightRecord }>();
  for (const json of records) {
    const r = parse(json);
    const d = r?.insightDetails;
    if (!r || !d) continue;
    const id = r.sharedEventID ?? r.eventID ?? '';
    const pair = byId.get(id) ?? {};
    if (d.state === 'End') pair.end = r;
    else pair.start = r;
    byId.set(id, pair);
  }
  const bars: InsightBar[] = [];
  for (const [id, { start, end }] of byId) {
    const first = (start ?? end)!;
    const d = first.insightDetails!;
    // The End record carries the insight's whole statistics (its duration); the Start one only the rise.
    const ctx = end?.insightDetails?.insightContext ?? start?.insightDetails?.insightContext;
    const t0 = start?.eventTime ? Date.parse(start.eventTime) : range.start;
    const t1 = end?.eventTime ? Date.parse(end.eventTime) : range.now;
    bars.push({
      id, eventName: d.eventName ?? '', eventSource: d.eventSource ?? '', insightType: d.insightType ?? '', errorCode: d.errorCode,
      lane: laneOf(d), start: t0, end: Math.max(t1, t0), open: !end, startClipped: !start,
      statistics: ctx?.statistics, attributions: ctx?.attributions ?? [],
    });
  }
  return bars.sort((a, b) => a.start - b.start || a.lane.localeCompare(b.lane));
}

/** The lanes of the timeline, one per event name and insight type, in order of first appearance. */
export const lanesOf = (bars: InsightBar[]): string[] => [...new Set(bars.map((b) => b.lane))];

/** "9.8" / "0.0123": averages are calls (or error rates) per minute, shown with sensible precision. */
export function formatAverage(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 10 ? v.toFixed(1) : Number(v.toPrecision(3)).toString();
}
