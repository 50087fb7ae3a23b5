import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandAt, trainModel, type TrainingPoint } from './model.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2); // a Monday

/** Deterministic normal noise (mulberry32 + Box–Muller). */
function gaussian(seed: number): () => number {
  let a = seed;
  const u = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

function series(days: number, period: number, f: (t: number) => number, seed = 1): TrainingPoint[] {
  const noise = gaussian(seed);
  const out: TrainingPoint[] = [];
  for (let t = T0; t < T0 + days * DAY; t += period * 1000) out.push({ t, v: f(t) + 5 * noise() });
  return out;
}

const sine = (t: number) => 100 + 40 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);

function coverage(model: NonNullable<ReturnType<typeof trainModel>>, pts: TrainingPoint[], k = 2): number {
  const b = bandAt(model, pts.map((p) => p.t), k);
  return pts.filter((p, i) => p.v >= b.lower[i]! && p.v <= b.upper[i]!).length / pts.length;
}

test('a daily sine with noise: the 2σ band covers ≥ 95 % of held-out days and flags a spike', () => {
  const all = series(14, 300, sine);
  const train = all.filter((p) => p.t < T0 + 12 * DAY);
  const held = all.filter((p) => p.t >= T0 + 12 * DAY);
  const model = trainModel(train, { period: 300 })!;
  assert.ok(model.daily, 'daily seasonality found');
  const c = coverage(model, held);
  assert.ok(c >= 0.95, `coverage ${c}`);
  const spike = { t: T0 + 13 * DAY + 3_600_000, v: sine(T0 + 13 * DAY + 3_600_000) + 60 };
  assert.equal(coverage(model, [spike]), 0);
});

test('training ignores excluded ranges and outliers, and is deterministic', () => {
  const pts = series(7, 300, sine, 7);
  const broken = pts.map((p) => (p.t >= T0 + 2 * DAY && p.t < T0 + 2 * DAY + 6 * 3_600_000 ? { t: p.t, v: 10_000 } : p));
  const excluded = [{ start: T0 + 2 * DAY, end: T0 + 2 * DAY + 6 * 3_600_000 }];
  const a = trainModel(broken, { period: 300, excluded })!;
  const b = trainModel(broken, { period: 300, excluded })!;
  assert.deepEqual(a, b);
  assert.ok(coverage(a, pts.filter((p) => p.t >= T0 + 5 * DAY)) >= 0.93);
  // A short outage-sized outlier burst without exclusion barely moves the robust model.
  const spiky = pts.map((p, i) => (i % 97 === 0 ? { t: p.t, v: 5_000 } : p));
  const m = trainModel(spiky, { period: 300 })!;
  assert.ok(m.sigma < 8, `sigma ${m.sigma}`);
});

test('a weekly pattern is learned once each weekday appears twice; too little data trains nothing', () => {
  const weekend = (t: number) => sine(t) + ([5, 6].includes((new Date(t).getUTCDay() + 6) % 7) ? -60 : 0);
  const m = trainModel(series(14, 900, weekend, 3), { period: 900 })!;
  assert.ok(m.weekly, 'weekly component');
  const b = bandAt(m, [T0 + 5 * DAY + DAY / 4, T0 + 2 * DAY + DAY / 4], 2);
  assert.ok(b.upper[0]! < b.lower[1]!, 'Saturday band sits below Wednesday band');
  assert.equal(trainModel(series(1, 3600, sine).slice(0, 10), { period: 3600 }), undefined);
});

test('MetricTimezone: the daily profile follows local time', () => {
  // Peaks at 12:00 in Tokyo (03:00 UTC).
  const tokyo = (t: number) => 100 + 40 * Math.cos((2 * Math.PI * (((t + 9 * 3_600_000) % DAY) - DAY / 2)) / DAY);
  const m = trainModel(series(7, 600, tokyo, 5), { period: 600, timezone: 'Asia/Tokyo' })!;
  const b = bandAt(m, [T0 + 8 * DAY + 3 * 3_600_000], 0);
  assert.ok(Math.abs(b.upper[0]! - 140) < 5, `noon in Tokyo predicted ${b.upper[0]}`);
});

test('PeriodicSpikes widens the band at the slot where a spike recurs every day', () => {
  const spikes = (t: number) => 100 + ((t % DAY) >= 2 * 3_600_000 && (t % DAY) < 2 * 3_600_000 + 600_000 ? 80 : 0);
  const pts = series(7, 300, spikes, 9);
  const plain = trainModel(pts, { period: 300 })!;
  const periodic = trainModel(pts, { period: 300, periodicSpikes: true })!;
  const at = [T0 + 8 * DAY + 2 * 3_600_000 + 300_000];
  assert.ok(bandAt(periodic, at, 2).upper[0]! > bandAt(plain, at, 2).upper[0]!);
});
