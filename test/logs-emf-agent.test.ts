// aws-embedded-metrics (4.2.1) in Agent mode sends to Osprey's EMF listener as it would to the
// CloudWatch agent: the documents become log events in the groups they name, and their metrics are
// stored. The library runs in child processes (it reads its configuration from the environment
// once, and keeps its TCP connection open). One metric is read back with GetMetricData; all stored
// points are checked after the server stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ROOT, startTestServer, sdkConfig } from './helpers/server.ts';
import { readMetricPoints } from './helpers/metric-points.ts';

/** The EMF port the server logged (OSPREY_EMF_PORT=0 picks a free one). */
function emfPort(lines: string[]): number {
  for (const line of lines) {
    try {
      const rec = JSON.parse(line) as { msg?: string; port?: number };
      if (rec.msg === 'emf listening (tcp+udp)' && typeof rec.port === 'number') return rec.port;
    } catch {
      // not a JSON log line
    }
  }
  throw new Error(`the server did not log its EMF port:\n${lines.join('\n')}`);
}

/** Runs the library once in Agent mode; the app is the one used for the protocols.md §8 captures. */
async function runEmfApp(env: Record<string, string>): Promise<void> {
  const app = `
    const { createMetricsLogger, Unit, StorageResolution } = require('aws-embedded-metrics');
    (async () => {
      const metrics = createMetricsLogger();
      metrics.setNamespace('App/EMF');
      metrics.putDimensions({ Service: 'checkout', Operation: 'Pay' });
      metrics.setProperty('RequestId', '422b1569-16f6-4a03-b8f0-fe3fd9b100f8');
      metrics.putMetric('Latency', 123.4, Unit.Milliseconds);
      metrics.putMetric('Latency', 99, Unit.Milliseconds);
      metrics.putMetric('HighRes', 1, Unit.Count, StorageResolution.High);
      await metrics.flush();
      const m2 = createMetricsLogger();
      m2.setDimensions([]);
      m2.putMetric('Orders', 3, Unit.Count);
      await m2.flush();
      // TCP: flush() resolved once the bytes were written, but the client keeps its connection
      // open (5 s idle timeout). UDP: flush() resolves before the datagram is sent, so let the
      // process end by itself once the sockets closed.
      if (process.env.AWS_EMF_AGENT_ENDPOINT.startsWith('tcp:')) process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  await promisify(execFile)(process.execPath, ['-e', app], {
    cwd: ROOT,
    env: { ...process.env, AWS_EMF_ENVIRONMENT: 'Agent', AWS_EMF_SERVICE_NAME: 'checkout-svc', AWS_EMF_SERVICE_TYPE: 'NodeApp', ...env },
  });
}

async function eventually<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('aws-embedded-metrics over TCP and UDP: log events in the named groups, metrics in the store', async () => {
  const server = await startTestServer({ env: { OSPREY_EMF_PORT: '0' } });
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    const port = emfPort(server.logs);
    // TCP with an explicit group and stream, UDP with the library's defaults (group <ServiceName>-metrics, no stream).
    await runEmfApp({ AWS_EMF_AGENT_ENDPOINT: `tcp://127.0.0.1:${port}`, AWS_EMF_LOG_GROUP_NAME: '/emf/e2e', AWS_EMF_LOG_STREAM_NAME: 'stream-1' });
    await runEmfApp({ AWS_EMF_AGENT_ENDPOINT: `udp://127.0.0.1:${port}` });

    // The listener flushes every 200 ms; a document is in the store (metrics included) once it is readable.
    const read = (group: string, stream: string) => eventually(`events in ${group}/${stream}`, async () => {
      try {
        const r = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
        return r.events && r.events.length >= 2 ? r.events : undefined;
      } catch (e) {
        if (e instanceof ResourceNotFoundException) return undefined;
        throw e;
      }
    });
    const tcpEvents = await read('/emf/e2e', 'stream-1');
    assert.equal(tcpEvents.length, 2);
    const first = JSON.parse(tcpEvents[0]!.message!) as { _aws: { Timestamp: number; LogGroupName: string }; Latency: number[] };
    assert.equal(first._aws.LogGroupName, '/emf/e2e');
    assert.deepEqual(first.Latency, [123.4, 99]);
    assert.equal(tcpEvents[0]!.timestamp, first._aws.Timestamp);

    // Without _aws.LogStreamName the agent's default stream is used: the Osprey host's name.
    const { hostname } = await import('node:os');
    const udpEvents = await read('checkout-svc-metrics', hostname());
    assert.equal(udpEvents.length, 2);

    // The metrics are CloudWatch metrics like any other: GetMetricData reads them.
    const cw = new CloudWatchClient(sdkConfig(server.url));
    try {
      const ts = first._aws.Timestamp;
      const res = await cw.send(new GetMetricDataCommand({
        StartTime: new Date(ts - 120_000), EndTime: new Date(ts + 120_000),
        MetricDataQueries: [{
          Id: 'lat',
          MetricStat: {
            Metric: {
              Namespace: 'App/EMF', MetricName: 'Latency',
              Dimensions: [{ Name: 'LogGroup', Value: '/emf/e2e' }, { Name: 'ServiceName', Value: 'checkout-svc' },
                { Name: 'ServiceType', Value: 'NodeApp' }, { Name: 'Service', Value: 'checkout' }, { Name: 'Operation', Value: 'Pay' }],
            },
            Period: 60, Stat: 'Maximum',
          },
        }],
      }));
      assert.deepEqual(res.MetricDataResults![0]!.Values, [123.4]);
      assert.deepEqual(res.MetricDataResults![0]!.Timestamps, [new Date(Math.floor(ts / 60_000) * 60_000)]);
    } finally {
      cw.destroy();
    }
  } finally {
    logs.destroy();
    await server.stop();
  }
  try {
    const points = await readMetricPoints(server.dataDir);
    const view = points.map((p) => [p.namespace, p.metric_name, p.dimensions.LogGroup ?? null, p.sample_count, p.sum, p.storage_resolution, p.unit]);
    assert.deepEqual(view.sort(), [
      ['App/EMF', 'HighRes', '/emf/e2e', 1, 1, 1, 'Count'],
      ['App/EMF', 'HighRes', 'checkout-svc-metrics', 1, 1, 1, 'Count'],
      ['App/EMF', 'Latency', '/emf/e2e', 2, 222.4, 60, 'Milliseconds'],
      ['App/EMF', 'Latency', 'checkout-svc-metrics', 2, 222.4, 60, 'Milliseconds'],
      ['aws-embedded-metrics', 'Orders', null, 1, 3, 60, 'Count'],
      ['aws-embedded-metrics', 'Orders', null, 1, 3, 60, 'Count'],
    ].sort());
    const latency = points.find((p) => p.metric_name === 'Latency' && p.dimensions.LogGroup === '/emf/e2e')!;
    assert.deepEqual(latency.dimensions, { LogGroup: '/emf/e2e', ServiceName: 'checkout-svc', ServiceType: 'NodeApp', Service: 'checkout', Operation: 'Pay' });
    assert.deepEqual(points.filter((p) => p.metric_name === 'Orders').map((p) => p.dimensions), [{}, {}]);
  } finally {
    server.cleanup();
  }
});
