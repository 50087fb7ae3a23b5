/**
 * ingest-metrics: the metric hot paths against a real server process, over HTTP with SigV4
 * (CloudWatch JSON 1.0, as SDK v3 sends it):
 *
 * 1. PutMetricData throughput: concurrent clients, each call 200 metrics × 150 `Values` (30,000
 *    datapoints, ~300 KB) over 1,000 series; datapoints/s and call latency.
 * 2. GetMetricData of 1 series over 24 h at 60 s (1,440 datapoints from the 1 min rollup): p50/p99
 *    of sequential calls, repeated on one series (read cache) and cold on 50 others.
 * 3. Metrics Insights: GROUP BY over 1,000 series × 1 h of 60 s points; p50/p99 latency.
 *
 * `get-metric-data` runs phases 2 and 3 alone (--seconds 0).
 *
 * Options: --seconds N (20) --clients N (8) --metrics N (200) --values N (150) --queries N (200)
 */
import { startTestServer } from '../test/helpers/server.ts';
import { SignedJsonClient } from './lib/signed-client.ts';
import { rng } from './lib/rng.ts';
import { percentile, printTable, rssMb } from './lib/stats.ts';

function opt(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

const MINUTE = 60_000;
const COLD_SERIES = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(args: string[]) {
  const seconds = opt(args, 'seconds', 20);
  const clients = opt(args, 'clients', 8);
  const metrics = opt(args, 'metrics', 200);
  const values = opt(args, 'values', 150);
  const queries = opt(args, 'queries', 200);

  const server = await startTestServer({ nodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [] });
  const pid = server.child.pid!;
  const api = new SignedJsonClient(server.url, 'monitoring', 'GraniteServiceVersion20100801', '1.0');
  // Like the AWS SDKs: a 503 (ingest back-pressure) is retried after a backoff.
  const call = async (op: string, body: unknown) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const res = await api.call(op, text);
      if (res.status === 503 && attempt < 8) {
        await sleep(Math.min(100 * 2 ** attempt, 2000));
        continue;
      }
      if (res.status !== 200) throw new Error(`${op} ${res.status}: ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body || '{}');
    }
  };
  try {
    // 1. Ingest.
    const next = rng(7);
    const now = Date.now();
    const bodies = Array.from({ length: clients * 4 }, (_, b) => Buffer.from(JSON.stringify({
      Namespace: 'Bench/Ingest',
      MetricData: Array.from({ length: metrics }, (_, i) => ({
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Host', Value: `h${(b * metrics + i) % 1000}` }],
        Timestamp: (now - 5 * MINUTE) / 1000,
        Unit: 'Milliseconds',
        Values: Array.from({ length: values }, () => Math.round(next() * 100_000) / 100),
      })),
    })));
    await Promise.all(bodies.slice(0, clients).map((b) => api.call('PutMetricData', b)));
    const latencies: number[] = [];
    let datapoints = 0;
    let errors = 0;
    let maxRss = 0;
    const rssTimer = setInterval(() => (maxRss = Math.max(maxRss, rssMb(pid))), 250);
    const start = performance.now();
    const deadline = start + seconds * 1000;
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        const res = await api.call('PutMetricData', bodies[(c + i * clients) % bodies.length]!);
        latencies.push(performance.now() - t0);
        if (res.status === 200) datapoints += metrics * values;
        else {
          if (errors++ < 3) console.error(`PutMetricData ${res.status}: ${res.body.slice(0, 300)}`);
          // Back-pressure: back off as the SDKs do instead of re-sending at once.
          if (res.status === 503) await sleep(100);
        }
      }
    }));
    const elapsed = (performance.now() - start) / 1000;
    clearInterval(rssTimer);
    latencies.sort((a, b) => a - b);

    // 2. One series, 24 h at 60 s: a point a minute, published in calls of 1,000 (≤ 2 weeks old is accepted).
    const dayStart = Math.floor(now / MINUTE) * MINUTE - 24 * 60 * MINUTE;
    // Host "one" is read repeatedly (a dashboard refreshing: served from the read cache until the
    // series changes); hosts c0…c49 are each read once (cold: a ClickHouse scan every call).
    const hosts = ['one', ...Array.from({ length: COLD_SERIES }, (_, i) => `c${i}`)];
    for (const host of hosts) {
      for (let k = 0; k < 1440; k += 1000) {
        await call('PutMetricData', {
          Namespace: 'Bench/Read',
          MetricData: Array.from({ length: Math.min(1000, 1440 - k) }, (_, i) => ({
            MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: host }],
            Timestamp: (dayStart + (k + i) * MINUTE) / 1000, Values: [1, 2, 3, 4, 5], Unit: 'Milliseconds',
          })),
        });
      }
    }
    const gmd = (host: string) => JSON.stringify({
      StartTime: dayStart / 1000, EndTime: (dayStart + 1440 * MINUTE) / 1000, ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Bench/Read', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: host }] }, Period: 60, Stat: 'Average' } }],
    });
    // Reads merge the metric head, and one that meets a flush in flight waits for it (~0.4 s for
    // these 73k points): the reads start once the head's 1 s flush is done, so cold reads measure
    // stored rows, as they are meant to.
    await new Promise((r) => setTimeout(r, 2_000));
    const first = await call('GetMetricData', gmd('one'));
    const points = first.MetricDataResults[0].Values.length;
    const gmdLat = await timeCalls(queries, () => call('GetMetricData', gmd('one')));
    let cold = 0;
    const coldLat = await timeCalls(COLD_SERIES, () => call('GetMetricData', gmd(`c${cold++}`)));

    // 3. Metrics Insights over 1,000 series × 60 minutes.
    const hourStart = Math.floor(now / MINUTE) * MINUTE - 60 * MINUTE;
    for (let m = 0; m < 60; m++) {
      await call('PutMetricData', {
        Namespace: 'Bench/MI',
        MetricData: Array.from({ length: 1000 }, (_, h) => ({
          MetricName: 'CPU', Dimensions: [{ Name: 'Host', Value: `h${h}` }, { Name: 'Zone', Value: `z${h % 10}` }],
          Timestamp: (hourStart + m * MINUTE) / 1000, Value: (h * 7 + m) % 100,
        })),
      });
    }
    const mi = (q: string) => JSON.stringify({
      StartTime: hourStart / 1000, EndTime: (hourStart + 60 * MINUTE) / 1000,
      MetricDataQueries: [{ Id: 'q', Expression: q, Period: 60 }],
    });
    const byZone = mi('SELECT AVG(CPU) FROM SCHEMA("Bench/MI", Host, Zone) GROUP BY Zone ORDER BY AVG() DESC');
    const byHost = mi('SELECT MAX(CPU) FROM SCHEMA("Bench/MI", Host, Zone) GROUP BY Host ORDER BY MAX() DESC LIMIT 10');
    const zoneRes = await call('GetMetricData', byZone);
    const hostRes = await call('GetMetricData', byHost);
    const zoneLat = await timeCalls(Math.ceil(queries / 4), () => call('GetMetricData', byZone));
    const hostLat = await timeCalls(Math.ceil(queries / 4), () => call('GetMetricData', byHost));

    const result = {
      ingest: {
        clients, metricsPerCall: metrics, valuesPerMetric: values, seconds: Math.round(elapsed * 10) / 10,
        datapointsPerSecond: seconds > 0 ? Math.round(datapoints / elapsed) : 0, callsPerSecond: seconds > 0 ? Math.round((latencies.length / elapsed) * 10) / 10 : 0,
        p50ms: r1(percentile(latencies, 50)), p99ms: r1(percentile(latencies, 99)), errors, maxRssMb: Math.round(maxRss),
      },
      getMetricData24h: { datapoints: points, p50ms: r1(percentile(gmdLat, 50)), p99ms: r1(percentile(gmdLat, 99)), calls: gmdLat.length },
      getMetricData24hCold: { p50ms: r1(percentile(coldLat, 50)), p99ms: r1(percentile(coldLat, 99)), calls: coldLat.length },
      insightsGroupByZone: { series: zoneRes.MetricDataResults.length, p50ms: r1(percentile(zoneLat, 50)), p99ms: r1(percentile(zoneLat, 99)) },
      insightsGroupByHostTop10: { series: hostRes.MetricDataResults.length, p50ms: r1(percentile(hostLat, 50)), p99ms: r1(percentile(hostLat, 99)) },
    };
    printTable('ingest-metrics', ([
      ['PutMetricData datapoints/s', result.ingest.datapointsPerSecond.toLocaleString('en-US')],
      ['PutMetricData calls/s', String(result.ingest.callsPerSecond)],
      ['PutMetricData p50 / p99 ms', `${result.ingest.p50ms} / ${result.ingest.p99ms}`],
      ['server max RSS MB', String(Math.round(maxRss))],
      ['GetMetricData 1 series 24h@60s: datapoints', String(points)],
      ['GetMetricData repeated p50 / p99 ms', `${result.getMetricData24h.p50ms} / ${result.getMetricData24h.p99ms}`],
      ['GetMetricData cold (each series once) p50 / p99 ms', `${result.getMetricData24hCold.p50ms} / ${result.getMetricData24hCold.p99ms}`],
      ['Insights GROUP BY Zone (1,000 series, 1h): series', String(result.insightsGroupByZone.series)],
      ['Insights GROUP BY Zone p50 / p99 ms', `${result.insightsGroupByZone.p50ms} / ${result.insightsGroupByZone.p99ms}`],
      ['Insights GROUP BY Host top 10 p50 / p99 ms', `${result.insightsGroupByHostTop10.p50ms} / ${result.insightsGroupByHostTop10.p99ms}`],
    ] as const).map(([measure, value]) => ({ measure, value })));
    return result;
  } finally {
    api.close();
    if (server.child.exitCode === null) await server.stop();
    server.cleanup();
  }
}

async function timeCalls(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

const r1 = (x: number) => Math.round(x * 10) / 10;
