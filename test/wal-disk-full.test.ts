// A write-ahead log that cannot be written (disk full) fails the request with AWS's
// ServiceUnavailable — nothing of it is acknowledged or stored — and the server takes the same
// request again once space is back. The WAL directory is a tiny tmpfs mounted inside the data
// directory (root only; CI runs as root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig } from './helpers/server.ts';

interface AwsError { name: string; $metadata: { httpStatusCode?: number } }
const failure = (p: Promise<unknown>): Promise<AwsError | undefined> => p.then(() => undefined, (e: unknown) => e as AwsError);

test('disk full under the WAL: PutLogEvents and PutMetricData answer 503 ServiceUnavailable and store nothing; they succeed once space is back', {
  skip: process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : false,
  timeout: 180_000,
}, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-walfull-'));
  const walDir = join(dataDir, 'wal');
  mkdirSync(walDir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', walDir]);
  const server = await startTestServer({ dataDir });
  try {
    const cfg = { ...sdkConfig(server.url), maxAttempts: 1 };
    const logs = new CloudWatchLogsClient(cfg);
    const cw = new CloudWatchClient(cfg);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: now, message: 'before' }] }));

    // Fill the file system: whatever the WAL has left is taken.
    for (let i = 0; ; i++) {
      try { writeFileSync(join(walDir, `filler-${i}`), Buffer.alloc(64 * 1024)); } catch { break; }
    }
    const big = 'x'.repeat(200_000);
    const logErr = await failure(logs.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: now + 1, message: big }] })));
    assert.ok(logErr, 'PutLogEvents must fail while the WAL cannot be written');
    // The Logs model's ServiceUnavailableException is a fault without a modeled status: 500, which
    // the SDKs retry like a 503.
    assert.equal(logErr.name, 'ServiceUnavailableException');
    assert.equal(logErr.$metadata.httpStatusCode, 500);
    const datum = { MetricName: 'm', Value: 1, Timestamp: new Date(now), Dimensions: [{ Name: 'pad', Value: 'p'.repeat(255) }] };
    const metricErr = await failure(cw.send(new PutMetricDataCommand({ Namespace: 'N', MetricData: Array.from({ length: 1000 }, () => datum) })));
    assert.ok(metricErr, 'PutMetricData must fail while the WAL cannot be written');
    assert.equal(metricErr.name, 'ServiceUnavailable');
    assert.equal(metricErr.$metadata.httpStatusCode, 503);

    // Space is back: the requests succeed; what was acknowledged is stored, what was refused is not.
    // (While the disk is full the head cannot record its flush intent either, so reads wait up to
    // their bound and may not see the newest rows yet — docs/ingest.md.)
    execFileSync('sh', ['-c', `rm -f ${walDir}/filler*`]);
    await logs.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: now + 1, message: 'after' }] }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'N', MetricData: [datum] }));
    const again = await logs.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's', startFromHead: true }));
    assert.deepEqual(again.events?.map((e) => e.message), ['before', 'after']);
    const stats2 = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'm', Dimensions: datum.Dimensions, StartTime: new Date(now - 60_000), EndTime: new Date(now + 60_000), Period: 60, Statistics: ['SampleCount'] }));
    assert.equal(stats2.Datapoints?.[0]?.SampleCount, 1, 'only the accepted datum is counted');
  } finally {
    await server.stop();
    execFileSync('umount', ['-l', walDir]);
    server.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
