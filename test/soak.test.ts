// Soak: mixed ingest (PutLogEvents, PutMetricData) and queries (FilterLogEvents, GetMetricData,
// Logs Insights) against one server, sampling its RSS and every call's latency. 60 s in `npm test`,
// 30 minutes with OSPREY_LONG=1. Fails on any error, and when memory or latency keeps growing:
// RSS at the end vs once warm, p99 latency of the last third vs the first third. The server's RSS
// climbs for its first ~35 s of this load (ingest heads and the engine's caches filling: 550 MB →
// ~1.15 GB here, then flat within ±5 % for the next minute), so the short run takes its memory
// reference half-way, after that, and the long one a third of the way in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, FilterLogEventsCommand, StartQueryCommand, GetQueryResultsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig } from './helpers/server.ts';

const LONG = Boolean(process.env.OSPREY_LONG);
const SECONDS = LONG ? 1800 : 60;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)] ?? 0;

test(`soak: ${SECONDS} s of mixed ingest and queries without errors, memory or latency growth`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const server = await startTestServer();
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const samples: { t: number; rss: number }[] = [];
  const calls: { t: number; ms: number }[] = [];
  const errors: string[] = [];
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/soak' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/soak', logStreamName: 's' }));
    const start = Date.now();
    const end = start + SECONDS * 1000;
    const timed = async (f: () => Promise<unknown>) => {
      const t0 = performance.now();
      try {
        await f();
      } catch (e) {
        errors.push(String((e as Error).message));
      }
      calls.push({ t: Date.now() - start, ms: performance.now() - t0 });
    };
    const sampler = setInterval(() => samples.push({ t: Date.now() - start, rss: rssMb(server.child.pid!) }), 1000);
    let n = 0;
    const loops = [
      async () => timed(() => logs.send(new PutLogEventsCommand({ logGroupName: '/soak', logStreamName: 's',
        logEvents: Array.from({ length: 500 }, (_, i) => ({ timestamp: Date.now(), message: `${i % 50 === 0 ? 'ERROR' : 'INFO'} request ${n++} took ${i} ms` })) }))),
      async () => timed(() => cw.send(new PutMetricDataCommand({ Namespace: 'Soak', MetricData: Array.from({ length: 50 }, (_, i) => ({
        MetricName: 'latency', Dimensions: [{ Name: 'host', Value: `h${i}` }], Values: [1, 2, 3, i], Timestamp: new Date() })) }))),
      async () => timed(() => logs.send(new FilterLogEventsCommand({ logGroupName: '/soak', filterPattern: 'ERROR', startTime: Date.now() - 60_000, limit: 100 }))),
      async () => timed(() => cw.send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(), MetricDataQueries: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'Soak', MetricName: 'latency', Dimensions: [{ Name: 'host', Value: 'h1' }] }, Period: 60, Stat: 'p99' } },
        { Id: 's', Expression: `SEARCH('{Soak,host} latency', 'Average', 60)` }] }))),
      async () => timed(async () => {
        const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/soak', startTime: Math.floor(Date.now() / 1000) - 300, endTime: Math.floor(Date.now() / 1000) + 60,
          queryString: 'filter @message like /ERROR/ | stats count(*) by bin(1m)' }));
        for (;;) {
          const r = await logs.send(new GetQueryResultsCommand({ queryId }));
          if (r.status !== 'Running' && r.status !== 'Scheduled') { if (r.status !== 'Complete') throw new Error(`query ${r.status}`); return; }
          await new Promise((x) => setTimeout(x, 20));
        }
      }),
    ];
    await Promise.all(loops.map(async (f) => { while (Date.now() < end) await f(); }));
    clearInterval(sampler);
    samples.push({ t: Date.now() - start, rss: rssMb(server.child.pid!) });
  } finally {
    logs.destroy();
    cw.destroy();
    await server.stop();
    server.cleanup();
  }
  const third = (SECONDS * 1000) / 3;
  const warm = LONG ? third : (SECONDS * 1000) / 2;
  const rssAt = (t: number) => samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best)).rss;
  const early = calls.filter((c) => c.t < third).map((c) => c.ms);
  const late = calls.filter((c) => c.t >= 2 * third).map((c) => c.ms);
  const summary = {
    seconds: SECONDS, calls: calls.length, errors: errors.length,
    rssMbWarm: Math.round(rssAt(warm)), rssMbEnd: Math.round(samples[samples.length - 1]!.rss), rssMbMax: Math.round(Math.max(...samples.map((s) => s.rss))),
    p99MsFirstThird: Math.round(p99(early)), p99MsLastThird: Math.round(p99(late)),
  };
  console.log(`soak summary ${JSON.stringify(summary)}`);
  assert.deepEqual(errors.slice(0, 3), []);
  assert.ok(summary.rssMbEnd <= summary.rssMbWarm * (LONG ? 1.2 : 1.5) + 50, `RSS grew: ${JSON.stringify(summary)}`);
  assert.ok(summary.p99MsLastThird <= Math.max(summary.p99MsFirstThird * 3, 500), `latency grew: ${JSON.stringify(summary)}`);
});
