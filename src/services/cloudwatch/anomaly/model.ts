/**
 * The anomaly detection model: a robust seasonal decomposition trained from up to two weeks of a
 * metric's history at one period, and the band it predicts.
 *
 *   value(t) ≈ trend(t) + daily(local time of day) + weekly(local weekday) + hourly(minute of hour)
 *   band(t)  = value(t) ± stddevs × σ
 *
 * - trend: a Theil–Sen line through the 20 %-trimmed means of the whole days in the window (flat
 *   with fewer than three; trimmed means, because a day's median of a cycle is a poor estimate of
 *   its centre), its level the median of what is left — a straight line, extrapolated.
 * - daily: the median residual per slot of the local day (at most 48 slots, 30 min, and never
 *   finer than the period), read between slot centres by circular linear interpolation.
 * - weekly: the median residual per local weekday, when the window holds each weekday at least
 *   twice; hourly: the median residual per slot of the hour, for periods that divide an hour.
 *   Each component is kept only if it shrinks the residual spread by 10 % or more, so noise is not
 *   mistaken for a pattern.
 * - σ: the larger of 1.4826 × MAD and a trimmed mean absolute deviation of the residuals, widened
 *   by the uncertainty of the slot medians (√(1 + π/2n)) and a 10 % margin (MARGIN). Medians everywhere: a spike or an outage
 *   in the window moves the model by one rank, not by its size. Excluded time ranges are left out
 *   of training altogether.
 * - PeriodicSpikes: each daily slot's σ is at least half the 95th percentile of its absolute
 *   residuals, so a spike that comes back at the same time every day stays inside the band.
 *
 * Limits: one straight trend over the window (no change points); a weekly pattern is a per-day
 * offset, not a per-day shape; fewer than MIN_POINTS datapoints train nothing (the band is empty,
 * alarms on it are INSUFFICIENT_DATA). Deterministic: the same datapoints give the same model.
 */
import { localClock } from './local-time.ts';
import { madSigma, median, quantile, theilSenSlope, trimmedMean, trimmedMeanAbsSigma } from './robust.ts';

const DAY = 86_400_000;
export const MIN_POINTS = 24;
const KEEP_IF_SHRINKS = 0.9;
/**
 * Head-room on σ for what training residuals cannot show: days ahead differ from the days the
 * profile was fitted on (interpolation, trend extrapolation, drift). With it a 2-stddev band holds
 * ~97 % of normal Gaussian points instead of a knife-edge 95.4 %; a band alarm that pages on noise
 * costs more than one that misses the edge of the tail.
 */
const MARGIN = 1.1;

export interface TrainingPoint {
  /** Epoch ms, the start of the period. */
  t: number;
  v: number;
}

export interface TrainingOptions {
  /** Seconds. */
  period: number;
  timezone?: string;
  excluded?: readonly { start: number; end: number }[];
  periodicSpikes?: boolean;
}

export interface AnomalyModel {
  period: number;
  timezone?: string;
  /** Datapoints the model was trained on. */
  points: number;
  /** value = level + slope × (t − origin); slope per ms. */
  trend: { origin: number; level: number; slope: number };
  daily?: number[];
  weekly?: number[];
  hourly?: number[];
  sigma: number;
  /** Per daily slot (PeriodicSpikes). */
  slotSigma?: number[];
}

export function trainModel(input: readonly TrainingPoint[], o: TrainingOptions): AnomalyModel | undefined {
  const excluded = o.excluded ?? [];
  const pts = input.filter((p) => Number.isFinite(p.v) && !excluded.some((r) => p.t >= r.start && p.t < r.end));
  if (pts.length < MIN_POINTS) return undefined;
  const local = localClock(o.timezone);
  const L = pts.map((p) => local(p.t));
  const trend = fitTrend(pts, L, o.period);
  const r = pts.map((p) => p.v - trend.level - trend.slope * (p.t - trend.origin));

  const days = new Set(L.map((l) => Math.floor(l / DAY))).size;
  const slotsPerDay = o.period >= DAY / 1000 ? 0 : Math.floor(86_400 / Math.max(o.period, 1800));
  const model: AnomalyModel = { period: o.period, ...(o.timezone ? { timezone: o.timezone } : {}), points: pts.length, trend, sigma: 0 };
  let resid = r;
  if (slotsPerDay > 1 && days >= 2) {
    const slots = slotProfile(resid, L, (l) => dailySlot(l, slotsPerDay), slotsPerDay, true);
    resid = keepIfUseful(resid, slots, (i) => dailyValue(slots, L[i]!), () => (model.daily = slots));
  }
  if (weekdayCoverage(L) >= 2) {
    const slots = slotProfile(resid, L, weekday, 7, false);
    resid = keepIfUseful(resid, slots, (i) => slots[weekday(L[i]!)]!, () => (model.weekly = slots));
  }
  if (o.period <= 900 && 3600 % o.period === 0) {
    const n = 3600 / o.period;
    const slots = slotProfile(resid, L, (l) => hourSlot(l, n), n, false);
    resid = keepIfUseful(resid, slots, (i) => slots[hourSlot(L[i]!, n)]!, () => (model.hourly = slots));
  }
  const perSlot = pts.length / Math.max(1, model.daily?.length ?? 1);
  const widen = Math.sqrt(1 + Math.PI / 2 / perSlot);
  const floor = Number.EPSILON * Math.max(1, Math.abs(trend.level));
  model.sigma = Math.max(spread(resid), floor) * widen * MARGIN;
  if (o.periodicSpikes && slotsPerDay > 1) {
    const bySlot = groupBy(resid, L, (l) => dailySlot(l, slotsPerDay), slotsPerDay);
    model.slotSigma = bySlot.map((xs) => Math.max(model.sigma, xs.length ? quantile(xs.map(Math.abs), 0.95) / 2 : 0));
  }
  return model;
}

/** Upper and lower bound at each timestamp (epoch ms). */
export function bandAt(model: AnomalyModel, timestamps: readonly number[], stddevs: number): { upper: number[]; lower: number[] } {
  const local = localClock(model.timezone);
  const upper: number[] = [];
  const lower: number[] = [];
  for (const t of timestamps) {
    const l = local(t);
    let v = model.trend.level + model.trend.slope * (t - model.trend.origin);
    if (model.daily) v += dailyValue(model.daily, l);
    if (model.weekly) v += model.weekly[weekday(l)]!;
    if (model.hourly) v += model.hourly[hourSlot(l, model.hourly.length)]!;
    const s = model.slotSigma ? model.slotSigma[dailySlot(l, model.slotSigma.length)]! : model.sigma;
    upper.push(v + stddevs * s);
    lower.push(v - stddevs * s);
  }
  return { upper, lower };
}

function fitTrend(pts: readonly TrainingPoint[], L: readonly number[], period: number): AnomalyModel['trend'] {
  const origin = pts.reduce((m, p) => Math.max(m, p.t), -Infinity);
  const byDay = new Map<number, { t: number[]; v: number[] }>();
  pts.forEach((p, i) => {
    const d = Math.floor(L[i]! / DAY);
    const e = byDay.get(d) ?? { t: [], v: [] };
    e.t.push(p.t);
    e.v.push(p.v);
    byDay.set(d, e);
  });
  // Only whole days: a partial day's median carries its hours' share of the daily cycle.
  const full = [...byDay.values()].filter((d) => d.t.length >= 0.8 * (86_400 / period));
  const slope = full.length >= 3 ? theilSenSlope(full.map((d) => median(d.t)), full.map((d) => trimmedMean(d.v, 0.2))) : 0;
  const level = median(pts.map((p) => p.v - slope * (p.t - origin)));
  return { origin, level, slope };
}

function spread(xs: readonly number[]): number {
  return Math.max(madSigma(xs), trimmedMeanAbsSigma(xs));
}

/** Keeps a seasonal component only if it shrinks the spread enough; returns the new residuals. */
function keepIfUseful(resid: number[], _slots: number[], fitted: (i: number) => number, keep: () => void): number[] {
  const next = resid.map((x, i) => x - fitted(i));
  if (spread(next) > KEEP_IF_SHRINKS * spread(resid)) return resid;
  keep();
  return next;
}

function groupBy(xs: readonly number[], L: readonly number[], slotOf: (l: number) => number, n: number): number[][] {
  const out: number[][] = Array.from({ length: n }, () => []);
  xs.forEach((x, i) => out[slotOf(L[i]!)]!.push(x));
  return out;
}

/** Median per slot; empty slots are filled from their neighbours (circularly when `circular`) or 0. */
function slotProfile(xs: readonly number[], L: readonly number[], slotOf: (l: number) => number, n: number, circular: boolean): number[] {
  const med = groupBy(xs, L, slotOf, n).map((g) => (g.length ? median(g) : NaN));
  if (!circular) return med.map((v) => (Number.isNaN(v) ? 0 : v));
  return med.map((v, i) => {
    if (!Number.isNaN(v)) return v;
    for (let k = 1; k < n; k++) {
      const a = med[(i - k + n) % n]!;
      const b = med[(i + k) % n]!;
      if (!Number.isNaN(a) || !Number.isNaN(b)) return Number.isNaN(a) ? b : Number.isNaN(b) ? a : (a + b) / 2;
    }
    return 0;
  });
}

const msOfDay = (l: number) => ((l % DAY) + DAY) % DAY;
const dailySlot = (l: number, n: number) => Math.min(n - 1, Math.floor((msOfDay(l) / DAY) * n));
const hourSlot = (l: number, n: number) => Math.min(n - 1, Math.floor(((l % 3_600_000 + 3_600_000) % 3_600_000) / 3_600_000 * n));
/** 0 = Monday … 6 = Sunday, of local time. */
const weekday = (l: number) => (new Date(l).getUTCDay() + 6) % 7;

/** Circular linear interpolation between slot centres. */
function dailyValue(slots: readonly number[], l: number): number {
  const n = slots.length;
  const x = (msOfDay(l) / DAY) * n - 0.5;
  const i = Math.floor(x);
  const f = x - i;
  return slots[(i + n) % n]! * (1 - f) + slots[(i + 1) % n]! * f;
}

/** How many times the least-covered weekday appears among the window's local days. */
function weekdayCoverage(L: readonly number[]): number {
  const days = new Set(L.map((l) => Math.floor(l / DAY)));
  const counts = new Array<number>(7).fill(0);
  for (const d of days) counts[weekday(d * DAY)]!++;
  return Math.min(...counts);
}
