/**
 * Ingest-hook CPU cost: metric points from 10,000-event PutLogEvents batches, through metric filters
 * (match + value + dimensions + per-minute aggregation) and through EMF extraction. The store insert
 * is not included (bench/ingest-logs.ts measures inserts).
 * Run: cd /work/main && node --import tsx src/services/logs/metric-filters/bench.ts [batches]
 * Deterministic data (seeded PRNG); prints one table.
 */
import { rng } from '../../../../bench/lib/rng.ts';
import type { IngestedBatch } from '../ingest-hooks.ts';
import { emfPointsForBatch } from '../emf/hook.ts';
import { compileMetricFilter, metricPointsForBatch } from './apply.ts';

const BATCHES = Number(process.argv[2] ?? 50);
const EVENTS = 10_000;
const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const OPS = ['Pay', 'Refund', 'Browse', 'Login'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'];

function batchOf(make: (i: number, r: () => number) => string, seed: number): IngestedBatch {
  const r = rng(seed);
  // Round-trip through JSON: ingested messages are flat strings, not template-literal ropes.
  const messages = JSON.parse(JSON.stringify(Array.from({ length: EVENTS }, (_, i) => make(i, r)))) as string[];
  return {
    account: '1', region: 'us-east-1', logGroup: '/bench', logStream: 's',
    // 10,000 events over 3 minutes, as a busy stream sends them.
    events: messages.map((message, i) => ({ timestamp: T0 + Math.floor((i * 180_000) / EVENTS), message, ingestionTime: T0, eventId: String(i) })),
  };
}

const text = batchOf((i, r) => `2026-11-21T10:00:00Z [${LEVELS[Math.floor(r() * LEVELS.length)]}] req-${i} handled in ${(r() * 900) | 0} ms`, 1);
const json = batchOf((i, r) => JSON.stringify({ level: LEVELS[Math.floor(r() * LEVELS.length)], op: OPS[Math.floor(r() * OPS.length)], latency: (r() * 900) | 0, requestId: `req-${i}` }), 2);
const apache = batchOf((i, r) => `10.0.0.${i % 255} - frank [21/Nov/2026:10:00:00 +0000] "GET /p HTTP/1.1" ${r() < 0.9 ? 200 : 404} ${(r() * 5000) | 0}`, 3);
const emf = batchOf((i, r) => JSON.stringify({
  _aws: { Timestamp: T0 + i, CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [['Service', 'Operation'], ['Service']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }, { Name: 'Errors', Unit: 'Count' }] }] },
  Service: 'checkout', Operation: OPS[Math.floor(r() * OPS.length)], Latency: [(r() * 900) | 0, (r() * 900) | 0], Errors: r() < 0.05 ? 1 : 0, RequestId: `req-${i}`,
}), 4);

const filter = (pattern: string, t: { metricValue: string; defaultValue?: number; dimensions?: Record<string, string> }) =>
  compileMetricFilter({ name: pattern, pattern, transformations: [{ metricName: 'M', metricNamespace: 'NS', ...t }] });

const SCENARIOS: { name: string; batch: IngestedBatch; run: (b: IngestedBatch) => unknown[] }[] = [
  { name: 'count ERROR, default 0', batch: text, run: (b) => metricPointsForBatch([filter('ERROR', { metricValue: '1', defaultValue: 0 })], b) },
  { name: 'json value + 1 dimension', batch: json, run: (b) => metricPointsForBatch([filter('{ $.latency > 0 }', { metricValue: '$.latency', dimensions: { Op: '$.op' } })], b) },
  { name: 'space-delimited value + dimension', batch: apache, run: (b) => metricPointsForBatch([filter('[ip, id, user, ts, request, status, size]', { metricValue: '$size', dimensions: { Status: '$status' } })], b) },
  { name: '5 filters on json', batch: json, run: (b) => metricPointsForBatch([
    filter('{ $.level = "ERROR" }', { metricValue: '1', defaultValue: 0 }), filter('{ $.latency > 500 }', { metricValue: '$.latency' }),
    filter('{ $.op = "Pay" }', { metricValue: '$.latency' }), filter('WARN', { metricValue: '1' }), filter('', { metricValue: '1' }),
  ], b) },
  { name: 'EMF extraction', batch: emf, run: (b) => emfPointsForBatch(b) },
  { name: 'EMF hook on non-EMF text', batch: text, run: (b) => emfPointsForBatch(b) },
];

const rows = [];
for (const s of SCENARIOS) {
  for (let i = 0; i < 3; i++) s.run(s.batch); // warm-up
  const times: number[] = [];
  let points = 0;
  for (let i = 0; i < BATCHES; i++) {
    const t0 = process.hrtime.bigint();
    points = s.run(s.batch).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  rows.push({
    scenario: s.name, events: EVENTS, points,
    'p50 ms/batch': p50.toFixed(2), 'p99 ms/batch': times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!.toFixed(2),
    'events/s (p50)': `${((EVENTS / p50) * 1000 / 1e6).toFixed(2)} M`,
  });
}
console.table(rows);
console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${BATCHES} batches per scenario`);
