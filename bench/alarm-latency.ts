/**
 * alarm-latency: from PutMetricData returning to a local HTTP subscriber receiving the SNS
 * notification of the alarm it breached. 100 alarms, each on its own metric, with an SNS topic as
 * alarm action and an http subscription (confirmed through its SubscribeURL); breached one after
 * another. Prints p50/p99/max.
 *
 * Options: --alarms N (100)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { startTestServer, sdkConfig } from '../test/helpers/server.ts';
import { percentile, printTable } from './lib/stats.ts';

export async function run(args: string[]) {
  const i = args.indexOf('--alarms');
  const n = i >= 0 ? Number(args[i + 1]) : 100;
  const arrivals = new Map<string, number>();
  let confirm: ((url: string) => void) | undefined;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.end();
      const msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Type: string; Message: string; SubscribeURL?: string };
      if (msg.Type === 'SubscriptionConfirmation') confirm?.(msg.SubscribeURL!);
      else if (msg.Type === 'Notification') arrivals.set((JSON.parse(msg.Message) as { AlarmName: string }).AlarmName, at);
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sns`;
  const server = await startTestServer({ env: { OSPREY_DELIVERY_POLL_MS: '1000' } });
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const sns = new SNSClient(sdkConfig(server.url));
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alarms' }));
    const confirmed = new Promise<string>((r) => (confirm = r));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
    await fetch(await confirmed);
    for (let k = 0; k < n; k++) {
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: `a${k}`, Namespace: 'Bench/Alarms', MetricName: `m${k}`, Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1,
        Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', AlarmActions: [TopicArn!],
      }));
    }
    await new Promise((r) => setTimeout(r, 1500)); // initial evaluations settle (OK)
    const latencies: number[] = [];
    for (let k = 0; k < n; k++) {
      await cw.send(new PutMetricDataCommand({ Namespace: 'Bench/Alarms', MetricData: [{ MetricName: `m${k}`, Value: 1 }] }));
      const t0 = performance.now();
      const deadline = t0 + 10_000;
      while (!arrivals.has(`a${k}`) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      const at = arrivals.get(`a${k}`);
      if (at === undefined) throw new Error(`alarm a${k}: no notification within 10 s`);
      latencies.push(Math.max(0, at - t0));
    }
    latencies.sort((a, b) => a - b);
    const result = { alarms: n, p50ms: r1(percentile(latencies, 50)), p99ms: r1(percentile(latencies, 99)), maxMs: r1(latencies[latencies.length - 1]!) };
    printTable('alarm-latency (PutMetricData returned → SNS http notification received)', [
      { measure: 'alarms', value: n }, { measure: 'p50 ms', value: result.p50ms }, { measure: 'p99 ms', value: result.p99ms }, { measure: 'max ms', value: result.maxMs },
    ]);
    return result;
  } finally {
    cw.destroy();
    sns.destroy();
    receiver.close();
    await server.stop();
    server.cleanup();
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;
