// The shared metric-math vectors end to end: each case's metrics are published with PutMetricData
// (moved to the last hour, keeping their spacing), then its expression runs in GetMetricData
// (SDK v3) next to one MetricStat query per metric. The evaluator's unit tests run every case
// (src/services/cloudwatch/metric-math/vectors.test.ts); here every case whose result does not
// depend on the calendar date and whose timestamps sit one period apart goes through the wire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, ROOT, type TestServer } from './helpers/server.ts';
import { join } from 'node:path';

interface MathCase {
  id: string; kind: string; category: string; period: number; timestamps: string[];
  metrics: Record<string, (number | null)[]>; expression: string;
  expected: { values?: (number | null)[]; series?: { id?: string; values: (number | null)[] }[]; series_order?: string[] };
}

const { cases } = JSON.parse(readFileSync(join(ROOT, '..', 'shared', 'vectors', 'metric-math.json'), 'utf8')) as { cases: MathCase[] };
const evenlySpaced = (c: MathCase) => c.timestamps.every((t, i) => i === 0 || Date.parse(t) - Date.parse(c.timestamps[i - 1]!) === c.period * 1000);
const wire = cases.filter((c) => c.kind === 'metric-math' && c.category !== 'date-functions' && evenlySpaced(c));

let server: TestServer;
let cw: CloudWatchClient;
before(async () => {
  server = await startTestServer();
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('most metric-math vector cases can run over the wire', () => {
  assert.ok(wire.length >= 40, `${wire.length} cases`);
});

const RESULT_ID = 'zz_result';

for (const c of wire) {
  test(`GetMetricData: ${c.id}: ${c.expression}`, async () => {
    const p = c.period * 1000;
    const base = Math.floor((Date.now() - 3_600_000) / p) * p;
    const at = (i: number) => base + i * p;
    const ns = `Vectors/${c.id}`;
    const data = Object.entries(c.metrics).flatMap(([id, values]) =>
      values.flatMap((v, i) => (v === null ? [] : [{ MetricName: id, Value: v, Timestamp: new Date(at(i)), StorageResolution: c.period < 60 ? 1 : 60 }])));
    if (data.length > 0) await cw.send(new PutMetricDataCommand({ Namespace: ns, MetricData: data }));
    const res = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(base), EndTime: new Date(at(c.timestamps.length)), ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        ...Object.keys(c.metrics).map((id) => ({
          Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: ns, MetricName: id }, Period: c.period, Stat: 'Average' },
        })),
        { Id: RESULT_ID, Expression: c.expression },
      ],
    }));
    const results = res.MetricDataResults!;
    const onGrid = (r: (typeof results)[number]) => {
      const values: (number | null)[] = c.timestamps.map(() => null);
      r.Timestamps!.forEach((t, i) => (values[(t.getTime() - base) / p] = r.Values![i]!));
      return values;
    };
    const close = (a: (number | null)[], e: (number | null)[], what: string) => e.forEach((want, i) => {
      if (want === null) assert.equal(a[i], null, `${what}[${i}]`);
      else assert.ok(a[i] !== null && Math.abs(a[i]! - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}[${i}]: ${a[i]} vs ${want}`);
    });
    if (c.expected.values) {
      assert.equal(results.length, 1);
      close(onGrid(results[0]!), c.expected.values, 'values');
    } else if (c.expected.series) {
      assert.deepEqual(results.map((r) => r.Label), c.expected.series.map((s) => s.id));
      c.expected.series.forEach((s, i) => close(onGrid(results[i]!), s.values, s.id ?? String(i)));
    } else {
      assert.deepEqual(results.map((r) => r.Label), c.expected.series_order);
    }
    for (const r of results) assert.equal(r.Id, RESULT_ID);
  });
}

interface AlignCase {
  id: string; kind: string; period: number; stat: string; start_time: string; end_time: string;
  raw: Record<string, [string, number][]>; expression: string;
  expected: Record<string, (number | null)[] | string[]> & { timestamps: string[]; values: (number | null)[] };
}
const alignment = (cases as unknown as AlignCase[]).filter((c) => c.kind === 'alignment' && c.raw !== undefined);

test('the vectors have raw-point alignment cases', () => assert.ok(alignment.length >= 2));

for (const c of alignment) {
  test(`GetMetricData alignment: ${c.id}`, async () => {
    // Moved to a recent hour, keeping every offset from StartTime.
    const from = Date.parse(c.start_time);
    const base = Math.floor((Date.now() - 2 * 3_600_000) / 3_600_000) * 3_600_000;
    const shift = (iso: string) => base + (Date.parse(iso) - from);
    const ns = `Align/${c.id}`;
    await cw.send(new PutMetricDataCommand({
      Namespace: ns,
      MetricData: Object.entries(c.raw).flatMap(([id, pts]) => pts.map(([t, v]) => ({ MetricName: id, Value: v, Timestamp: new Date(shift(t)) }))),
    }));
    const res = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(base), EndTime: new Date(shift(c.end_time)), ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        ...Object.keys(c.raw).map((id) => ({ Id: id, MetricStat: { Metric: { Namespace: ns, MetricName: id }, Period: c.period, Stat: c.stat } })),
        { Id: RESULT_ID, Expression: c.expression },
      ],
    }));
    const byId = new Map(res.MetricDataResults!.map((r) => [r.Id!, r]));
    const want = c.expected.timestamps.map(shift);
    for (const [id, values] of Object.entries(c.expected)) {
      if (id === 'timestamps') continue;
      const r = byId.get(id === 'values' ? RESULT_ID : id)!;
      assert.deepEqual(r.Timestamps!.map((t) => t.getTime()), want.filter((_, i) => (values as (number | null)[])[i] !== null), id);
      assert.deepEqual(r.Values, (values as (number | null)[]).filter((v) => v !== null), id);
    }
  });
}
