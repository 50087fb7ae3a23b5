/**
 * The server runs the services of its module list, or the subset `--modules` / OSPREY_MODULES names:
 * a service left out answers NotImplemented, the others work as usual.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { sdkConfig, startTestServer } from './helpers/server.ts';

test('a server started with --modules sns serves SNS and answers 501 for Logs', async (t) => {
  const server = await startTestServer({ modules: ['sns'] });
  t.after(async () => {
    await server.stop();
    server.cleanup();
  });
  const listening = server.logs.map((l) => JSON.parse(l) as { msg?: string; modules?: string[] }).find((r) => r.msg === 'osprey listening');
  assert.deepEqual(listening?.modules, ['sns']);
  const sns = new SNSClient(sdkConfig(server.url));
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  t.after(() => { sns.destroy(); logs.destroy(); });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'only-sns' }));
  assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics?.map((x) => x.TopicArn), [TopicArn]);
  await assert.rejects(logs.send(new DescribeLogGroupsCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
    e.name === 'NotImplemented' && e.$metadata?.httpStatusCode === 501);
});

test('an unknown module name is one clear line and a non-zero exit', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-test-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  await assert.rejects(startTestServer({ dataDir, modules: ['sns', 'nope'] }), /exited with 1[^]*unknown module nope; known: logs, cloudwatch, sns/);
});
