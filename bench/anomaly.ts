/**
 * anomaly: anomaly detection models. N detectors (default 1,000) on metrics with two weeks of
 * 15-minute data, then every detector's model trained by a first ANOMALY_DETECTION_BAND request
 * (4 at a time; the same work as the background refresh: a two-week read at the band's period plus
 * the fit) — target: all of them within one minute; and GetMetricData of a band over two weeks at
 * 5 minutes (4,032 datapoints) once its model is trained — target < 100 ms.
 * Options: --detectors N (1000)
 */
import { CloudWatchClient, GetMetricDataCommand, PutAnomalyDetectorCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, type TestServer } from '../test/helpers/server.ts';
import { percentile, printTable, rssMb } from './lib/stats.ts';

const DAY = 86_400_000;

async function pool<T>(items: T[], width: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await f(items[next++]!);
  }));
}

/**
 * The background job's own refresh: the server restarts with anomalyRetrainSeconds=10, so on its
 * first tick every model is stale and one pass refits them all; the pass logs its count and time.
 */
async function measureRefresh(server: TestServer, n: number): Promise<{ server: TestServer; models: number; seconds: number }> {
  const dataDir = server.dataDir;
  await server.stop();
  await new Promise((r) => setTimeout(r, 11_000));
  const next = await startTestServer({ dataDir, modules: ['cloudwatch'], env: { OSPREY_ANOMALY_RETRAIN_SECONDS: '10' } });
  const deadline = Date.now() + 180_000;
  let refitted = 0;
  let ms = 0;
  while (refitted < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    for (const line of next.logs.splice(0)) {
      try {
        const rec = JSON.parse(line) as { msg?: string; models?: number; ms?: number };
        if (rec.msg === 'anomaly models refitted' && refitted < n) { refitted += rec.models ?? 0; ms += rec.ms ?? 0; }
      } catch { /* not JSON */ }
    }
  }
  return { server: next, models: refitted, seconds: +(ms / 1000).toFixed(1) };
}

export async function run(args: string[]) {
  const i = args.indexOf('--detectors');
  const n = i >= 0 ? Number(args[i + 1]) : 1000;
  let server = await startTestServer({ modules: ['cloudwatch'] });
  const cw = new CloudWatchClient({ ...sdkConfig(server.url), maxAttempts: 1 });
  try {
    const end = Math.floor(Date.now() / 300_000) * 300_000;
    const start = end - 14 * DAY + 300_000;
    const value = (k: number, t: number) => 100 + 40 * Math.sin((2 * Math.PI * (t % DAY)) / DAY + k) + ((t * 7 + k * 13) % 17) - 8;
    const t0 = performance.now();
    const batches: MetricDatum[][] = [];
    let batch: MetricDatum[] = [];
    const push = (d: MetricDatum) => {
      batch.push(d);
      if (batch.length === 1000) { batches.push(batch); batch = []; }
    };
    for (let t = start; t < end; t += 900_000) for (let k = 0; k < n; k++) push({ MetricName: `m${k}`, Timestamp: new Date(t), Value: value(k, t) });
    for (let t = start; t < end; t += 300_000) push({ MetricName: 'dense', Timestamp: new Date(t), Value: value(0, t) });
    if (batch.length) batches.push(batch);
    await pool(batches, 4, async (b) => { await cw.send(new PutMetricDataCommand({ Namespace: 'Bench/Anomaly', MetricData: b })); });
    const backfillSeconds = (performance.now() - t0) / 1000;
    const ids = Array.from({ length: n }, (_, k) => k);
    await pool(ids, 4, async (k) => {
      await cw.send(new PutAnomalyDetectorCommand({ SingleMetricAnomalyDetector: { Namespace: 'Bench/Anomaly', MetricName: `m${k}`, Stat: 'Average' } }));
    });
    const band = (metric: string, from: number) => cw.send(new GetMetricDataCommand({
      MetricDataQueries: [
        { Id: 'm1', MetricStat: { Metric: { Namespace: 'Bench/Anomaly', MetricName: metric }, Period: 300, Stat: 'Average' } },
        { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)' },
      ], StartTime: new Date(from), EndTime: new Date(end),
    }));
    const t1 = performance.now();
    await pool(ids, 4, async (k) => {
      const r = await band(`m${k}`, end - 3_600_000);
      if ((r.MetricDataResults?.[1]?.Values?.length ?? 0) === 0) throw new Error(`m${k}: no band`);
    });
    const trainSeconds = (performance.now() - t1) / 1000;
    const coldT = performance.now();
    await band('dense', start);
    const coldMs = performance.now() - coldT;
    const times: number[] = [];
    for (let k = 0; k < 20; k++) {
      const t = performance.now();
      const r = await band('dense', start);
      times.push(performance.now() - t);
      if ((r.MetricDataResults?.[1]?.Values?.length ?? 0) < 4000) throw new Error('band shorter than two weeks');
    }
    times.sort((a, b) => a - b);
    const refresh = await measureRefresh(server, n);
    server = refresh.server;
    const out = {
      detectors: n, backfillPoints: batches.reduce((s, b) => s + b.length, 0), backfillSeconds: +backfillSeconds.toFixed(1),
      trainAll: { seconds: +trainSeconds.toFixed(1), perDetectorMs: +((trainSeconds * 1000) / n).toFixed(1) },
      band2Weeks: { coldMs: Math.round(coldMs), p50ms: +percentile(times, 50).toFixed(1), p99ms: +percentile(times, 99).toFixed(1) },
      refreshAll: { models: refresh.models, seconds: refresh.seconds },
      serverRssMb: Math.round(rssMb(server.child.pid!)),
    };
    printTable('anomaly detection', [
      { what: `train ${n} models (first band request each, 4 at a time)`, result: `${out.trainAll.seconds} s (${out.trainAll.perDetectorMs} ms each; target 60 s)` },
      { what: `background refresh of every model (restart with anomalyRetrainSeconds=10)`, result: `${out.refreshAll.models} models refitted in ${out.refreshAll.seconds} s (target 60 s)` },
      { what: 'GetMetricData band over 2 weeks @ 5 min (4,032 points)', result: `p50 ${out.band2Weeks.p50ms} ms, p99 ${out.band2Weeks.p99ms} ms (first, training: ${out.band2Weeks.coldMs} ms; target 100 ms)` },
    ]);
    return out;
  } finally {
    cw.destroy();
    await server.stop();
    server.cleanup();
  }
}
