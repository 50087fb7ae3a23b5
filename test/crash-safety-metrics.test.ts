// SIGKILL while PutMetricData calls are in flight: after every restart, each acknowledged call's
// datapoints are readable (through the 1-minute rollup tier, so the views that feed it are covered
// too), and nothing appears that was never sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig } from './helpers/server.ts';

const ROUNDS = Number(process.env.OSPREY_LONG ? 10 : 5);
const MIN = 60_000;
const T = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;

async function storedSamples(cw: CloudWatchClient): Promise<number> {
  const r = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Crash', MetricName: 'm', StartTime: new Date(T - MIN), EndTime: new Date(T + 2 * MIN), Period: 60, Statistics: ['SampleCount'],
  }));
  return (r.Datapoints ?? []).reduce((a, d) => a + (d.SampleCount ?? 0), 0);
}

test(`SIGKILL during PutMetricData ×${ROUNDS}: every acknowledged datapoint survives`, { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-crash-metrics-'));
  let acked = 0;
  let sent = 0;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const server = await startTestServer({ dataDir });
      const cw = new CloudWatchClient({ ...sdkConfig(server.url), disableRequestCompression: true });
      const stored = await storedSamples(cw);
      assert.ok(stored >= acked, `round ${round}: ${stored} datapoints stored, ${acked} acknowledged`);
      assert.ok(stored <= sent, `round ${round}: ${stored} datapoints stored, only ${sent} ever sent`);
      if (round === ROUNDS) {
        cw.destroy();
        await server.stop();
        break;
      }
      let stop = false;
      const writer = async () => {
        while (!stop) {
          // 100 metrics × 20 values: 2,000 datapoints per call, all in one minute of one series.
          const data = Array.from({ length: 100 }, () => ({ MetricName: 'm', Timestamp: new Date(T), Values: Array.from({ length: 20 }, (_, i) => i) }));
          sent += 2000;
          try {
            await cw.send(new PutMetricDataCommand({ Namespace: 'Crash', MetricData: data }));
            acked += 2000;
          } catch {
            return; // killed under us: never acknowledged
          }
        }
      };
      const writers = [writer(), writer(), writer()];
      await new Promise((r) => setTimeout(r, 300 + round * 71));
      await server.kill();
      stop = true;
      await Promise.all(writers);
      cw.destroy();
    }
    assert.ok(acked > 10_000, `expected real ingest between kills, got ${acked}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
