// "Temporarily unavailable" errors from below the services (ingest overloaded, write-ahead log not
// writable) reach real SDK v3 clients as AWS's ServiceUnavailable: 503, a Retry-After header, and a
// retry by the SDK's standard strategy — never a 500 and never a 200.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../src/protocol/service.ts';
import { IngestOverloadedError } from '../src/store/telemetry/group-commit.ts';
import { sdkConfig } from './helpers/server.ts';
import { startProtocolServer } from './helpers/protocol-server.ts';

/** How many times each operation was called; `failures[op]` calls fail before it succeeds. */
const calls: Record<string, number> = {};
const failures: Record<string, number> = {};
const flaky = (op: string): Handler => () => {
  calls[op] = (calls[op] ?? 0) + 1;
  if (calls[op] <= (failures[op] ?? 0)) throw new IngestOverloadedError(1 << 30);
  return {};
};

let url = '';
let stopServer: () => Promise<void>;

before(async () => {
  const server = await startProtocolServer({
    cloudwatch: { PutMetricData: flaky('PutMetricData') },
    logs: { DescribeLogGroups: flaky('DescribeLogGroups') },
  });
  url = server.url;
  stopServer = server.stop;
});
after(async () => stopServer());

const put = new PutMetricDataCommand({ Namespace: 'N', MetricData: [{ MetricName: 'm', Value: 1 }] });

test('an overloaded store answers 503 ServiceUnavailable with Retry-After, not a 500', async () => {
  calls.PutMetricData = 0;
  failures.PutMetricData = 1;
  const cw = new CloudWatchClient({ ...sdkConfig(url), maxAttempts: 1 });
  const err = await cw.send(put).then(() => undefined, (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } });
  assert.ok(err, 'the call must fail');
  assert.equal(err.name, 'ServiceUnavailable');
  assert.equal(err.$metadata.httpStatusCode, 503);
  assert.match(err.message, /temporarily unavailable.*overloaded.*Retry the request/);
  assert.equal(err.$response?.headers['retry-after'], '1');
});

test('the SDKs retry a 503 by themselves: the call succeeds once the store has room again', async () => {
  calls.PutMetricData = 0;
  failures.PutMetricData = 1;
  const out = await new CloudWatchClient({ ...sdkConfig(url), maxAttempts: 3 }).send(put);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(out.$metadata.attempts, 2);

  calls.DescribeLogGroups = 0;
  failures.DescribeLogGroups = 2;
  const logs = await new CloudWatchLogsClient({ ...sdkConfig(url), maxAttempts: 3 }).send(new DescribeLogGroupsCommand({}));
  assert.equal(logs.$metadata.attempts, 3);
});
