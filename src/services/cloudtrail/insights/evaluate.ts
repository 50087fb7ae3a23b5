/**
 * One Insights evaluation pass: for the last complete interval, every scope's series counts are
 * read; a series that may start gets its baseline (only then: the window query is the expensive
 * one), each series takes one step (decide.ts), and Start / End records are written — first to the
 * open-insights table, then through the recorder (durable, then visible to LookupEvents, trails and
 * Lake), then marked stored.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../lib/logger.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import type { TrailRecorder } from '../recorder/recorder.ts';
import type { TrailRepo } from '../trails/types.ts';
import { baselineOf, mayStart, perMinute, step, type Baseline } from './decide.ts';
import { attributionCounts, baselineSums, firstEvents, intervalCounts, type SeriesCount } from './queries.ts';
import { insightRecord, type Attribution, type AttributeName, type SeriesKey } from './record.ts';
import { scopesOf, type EvaluationScope } from './scopes.ts';
import { seriesId, type OpenInsight, type OpenInsightsStore } from './store.ts';

export interface PassDeps {
  engine: SqlEngine;
  recorder: Pick<TrailRecorder, 'append' | 'flush'>;
  /** Which of these event ids are stored (repairing a pending record after a crash). */
  existingIds(ids: readonly string[]): Promise<Set<string>>;
  trails: Pick<TrailRepo, 'all'>;
  open: OpenInsightsStore;
  intervalMs: number;
  windowMs: number;
  log: Logger;
}

/** A fresh baseline, with where its data begins (for the record's baselineDuration and attributions). */
interface Measured { baseline: Baseline; from: number }

const ATTRIBUTES: AttributeName[] = ['userIdentityArn', 'userAgent', 'errorCode'];
/** Whole minutes, at least one, as AWS reports durations. */
const minutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));

/** Evaluates the last interval that ended at or before `now`. */
export async function runInsightsPass(d: PassDeps, now: number): Promise<void> {
  await d.recorder.flush();
  await repairPending(d);
  const to = Math.floor(now / d.intervalMs) * d.intervalMs;
  const from = to - d.intervalMs;
  const open = new Map((await d.open.all()).filter((o) => o.state === 'open').map((o) => [seriesId(o.key), o]));
  for (const scope of scopesOf(d.trails.all(), [...open.values()].map((o) => o.key))) {
    await evaluateScope(d, scope, from, open);
  }
}

/** A Start or End written to the table but maybe not to the recorder (crash between): append it unless stored. */
async function repairPending(d: PassDeps): Promise<void> {
  const pending = (await d.open.all()).filter((o) => o.pending);
  if (pending.length === 0) return;
  const stored = await d.existingIds(pending.map((o) => o.pending!.eventID));
  for (const o of pending) {
    if (!stored.has(o.pending!.eventID)) await d.recorder.append([{ record: o.pending!, eventTime: Date.parse(o.pending!.eventTime) }]);
    await d.open.stored(o.key);
  }
}

async function evaluateScope(d: PassDeps, scope: EvaluationScope, from: number, open: Map<string, OpenInsight>): Promise<void> {
  const keyOf = (c: SeriesCount): SeriesKey => ({
    account: scope.account, region: c.region, category: scope.category, insightType: scope.insightType,
    eventSource: c.eventSource, eventName: c.eventName, errorCode: c.errorCode,
  });
  const counts = await intervalCounts(d.engine, scope, from, from + d.intervalMs);
  const candidates = counts.filter((c) => scope.opens(c.region) && mayStart(c.count) && !open.has(seriesId(keyOf(c))));
  const measured = candidates.length > 0 ? await measure(d, scope, candidates, from) : new Map<string, Measured>();
  const seen = new Set<string>();
  for (const c of counts) {
    const k = keyOf(c);
    const id = seriesId(k);
    seen.add(id);
    await advance(d, k, c.count, from, open.get(id), measured.get(id));
  }
  // Open insights of this scope whose API had no events in the interval: a count of 0.
  for (const [id, o] of open) {
    const k = o.key;
    if (seen.has(id) || k.account !== scope.account || k.category !== scope.category || k.insightType !== scope.insightType) continue;
    await advance(d, k, 0, from, o, undefined);
  }
}

async function advance(d: PassDeps, k: SeriesKey, count: number, from: number, o: OpenInsight | undefined, m: Measured | undefined): Promise<void> {
  // An interval already counted (a pass repeated after a restart) changes nothing.
  if (o && from <= o.lastInterval) return;
  switch (step(count, o?.baseline, m?.baseline)) {
    case 'start': return start(d, k, count, from, m!);
    case 'continue': return await d.open.extend(k, from, count);
    case 'end': return end(d, o!);
    case 'none': return;
  }
}

/** Baselines of the candidate series over the window before `from`, from where each region's data begins. */
async function measure(d: PassDeps, scope: EvaluationScope, candidates: SeriesCount[], from: number): Promise<Map<string, Measured>> {
  const windowStart = Math.max(0, from - d.windowMs);
  const first = await firstEvents(d.engine, scope.account, windowStart, from);
  const names = [...new Set(candidates.map((c) => c.eventName))];
  const sums = await baselineSums(d.engine, scope, names, windowStart, from, d.intervalMs);
  const sumOf = new Map(sums.map((s) => [`${s.region}|${s.eventSource}|${s.eventName}|${s.errorCode}`, s]));
  const out = new Map<string, Measured>();
  for (const c of candidates) {
    const firstAt = first.get(c.region);
    // Intervals from the one holding the region's first event (a region without data has none).
    const dataFrom = firstAt === undefined ? from : Math.max(windowStart, Math.floor(firstAt / d.intervalMs) * d.intervalMs);
    const s = sumOf.get(`${c.region}|${c.eventSource}|${c.eventName}|${c.errorCode}`);
    const key: SeriesKey = { account: scope.account, region: c.region, category: scope.category, insightType: scope.insightType, eventSource: c.eventSource, eventName: c.eventName, errorCode: c.errorCode };
    out.set(seriesId(key), { baseline: baselineOf(s?.total ?? 0, s?.squares ?? 0, Math.round((from - dataFrom) / d.intervalMs)), from: dataFrom });
  }
  return out;
}

async function start(d: PassDeps, k: SeriesKey, count: number, from: number, m: Measured): Promise<void> {
  const to = from + d.intervalMs;
  const sharedEventID = randomUUID();
  const record = insightRecord({
    key: k, state: 'Start', sharedEventID, eventID: randomUUID(), time: from,
    baselineAverage: perMinute(m.baseline.mean, d.intervalMs), insightAverage: perMinute(count, d.intervalMs),
    insightDuration: minutes(to - from), baselineDuration: minutes(from - m.from),
    attributions: await attributions(d, k, [from, to], [m.from, from]),
  });
  await d.open.start({ key: k, sharedEventID, startedAt: from, lastInterval: from, intervals: 1, total: count, baseline: m.baseline, baselineStart: m.from }, record);
  await d.recorder.append([{ record, eventTime: from }]);
  await d.open.stored(k);
  d.log.info({ account: k.account, region: k.region, insightType: k.insightType, eventName: k.eventName, errorCode: k.errorCode || undefined, count }, 'CloudTrail Insights event started');
}

async function end(d: PassDeps, o: OpenInsight): Promise<void> {
  // The unusual activity ran to the end of the last unusual interval; this one is calm.
  const endsAt = o.lastInterval + d.intervalMs;
  const record = insightRecord({
    key: o.key, state: 'End', sharedEventID: o.sharedEventID, eventID: randomUUID(), time: endsAt,
    baselineAverage: perMinute(o.baseline.mean, d.intervalMs), insightAverage: perMinute(o.total / o.intervals, d.intervalMs),
    insightDuration: minutes(endsAt - o.startedAt), baselineDuration: minutes(o.startedAt - o.baselineStart),
    attributions: await attributions(d, o.key, [o.startedAt, endsAt], [o.baselineStart, o.startedAt]),
  });
  await d.open.end(o.key, record);
  await d.recorder.append([{ record, eventTime: endsAt }]);
  await d.open.stored(o.key);
  d.log.info({ account: o.key.account, region: o.key.region, insightType: o.key.insightType, eventName: o.key.eventName }, 'CloudTrail Insights event ended');
}

/** Top contributors per attribute, as per-minute averages over each range. */
async function attributions(d: PassDeps, k: SeriesKey, insight: [number, number], baseline: [number, number]): Promise<Attribution[]> {
  // UNION ALL keeps no order across its parts: sorted here, most frequent first.
  const rows = (await attributionCounts(d.engine, k, insight, baseline)).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const perMin = (n: number, [a, b]: [number, number]) => (b > a ? (n * 60_000) / (b - a) : 0);
  const values = (side: 'insight' | 'baseline', attribute: AttributeName, range: [number, number]) =>
    rows.filter((r) => r.side === side && r.attribute === attribute).map((r) => ({ value: r.value, average: perMin(r.count, range) }));
  return ATTRIBUTES.map((attribute) => ({ attribute, insight: values('insight', attribute, insight), baseline: values('baseline', attribute, baseline) }));
}
