import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import winston from 'winston';
import WinstonCloudWatch from 'winston-cloudwatch';
import { CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('winston-cloudwatch creates its group and stream and delivers every log line', async () => {
  const transport = new WinstonCloudWatch({
    logGroupName: '/shippers/winston',
    logStreamName: 'app-1',
    awsOptions: sdkConfig(server.url),
    jsonMessage: true,
    uploadRate: 200,
  });
  const logger = winston.createLogger({ transports: [transport] });
  for (let i = 0; i < 25; i++) logger.info(`request ${i}`, { n: i });
  logger.error('boom', { code: 500 });
  await new Promise<void>((resolve, reject) => transport.kthxbye((err?: Error) => (err ? reject(err) : resolve())));

  const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/shippers/winston' }));
  assert.deepEqual(streams.logStreams!.map((s) => s.logStreamName), ['app-1']);
  const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/shippers/winston', logStreamName: 'app-1', startFromHead: true }));
  const messages = got.events!.map((e) => JSON.parse(e.message!));
  assert.equal(messages.length, 26);
  // Lines logged within the same millisecond share a timestamp; CloudWatch orders only by time.
  const ts = got.events!.map((e) => e.timestamp!);
  assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
  const infos = messages.filter((m) => m.level === 'info').map((m) => m.n).sort((a, b) => a - b);
  assert.deepEqual(infos, Array.from({ length: 25 }, (_, i) => i));
  assert.deepEqual(messages.filter((m) => m.level === 'error').map((m) => [m.message, m.code]), [['boom', 500]]);
});
