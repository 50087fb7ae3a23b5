import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import * as cw from '@aws-sdk/client-cloudwatch';
import { decode } from 'cbor-x';
import { decodeCbor, encodeCbor, encodeCborError } from './cbor-codec.ts';
import { ServiceError } from './errors.ts';
import { findErrorShape, loadModel } from './models/index.ts';

const CW = loadModel('cloudwatch');
const LOGS = loadModel('logs');
const T0 = new Date('2026-01-02T03:04:05Z');

const capturedCbor = (path: string): Buffer => {
  const lines = readFileSync(new URL('../../../shared/protocol-captures/raw/cap-sdkv3-cbor-ok.jsonl', import.meta.url), 'utf8').trim().split('\n');
  const c = lines.map((l) => JSON.parse(l) as { path: string; bodyHex: string }).find((r) => r.path.endsWith(path));
  assert.ok(c, `no ${path}`);
  return Buffer.from(c.bodyHex, 'hex');
};

test('decodes the CBOR-forced SDK v3 captures; tag 1 becomes a Date', () => {
  assert.deepEqual(decodeCbor(CW, 'PutMetricDataInput', capturedCbor('/PutMetricData')), {
    Namespace: 'App/Test',
    MetricData: [{ MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: T0, Value: 12.5, Unit: 'Milliseconds' }],
  });
  assert.deepEqual(decodeCbor(CW, 'DescribeAlarmsInput', capturedCbor('/DescribeAlarms')), { AlarmNames: ['high-latency'] });
  const data = decodeCbor(CW, 'GetMetricDataInput', capturedCbor('/GetMetricData')) as { StartTime: Date; MetricDataQueries: unknown[] };
  assert.deepEqual(data.StartTime, T0);
  assert.deepEqual(data.MetricDataQueries, [{ Id: 'm1', Expression: 'SELECT AVG(Latency) FROM "App/Test"', Period: 60 }]);
});

test('timestamps encode as tag 1: an unsigned int for whole seconds, a float64 with a fraction', () => {
  const whole = encodeCbor(CW, 'Datapoint', { Timestamp: new Date(1767323040000) });
  assert.equal(whole.toString('hex'), 'a1' + '6954696d657374616d70' + 'c11a695735a0');
  const fraction = encodeCbor(CW, 'Datapoint', { Timestamp: new Date(1767323040123) });
  assert.equal(fraction.subarray(11, 13).toString('hex'), 'c1fb');
  assert.deepEqual((decode(fraction) as { Timestamp: Date }).Timestamp, new Date(1767323040123));
});

test('output is plain CBOR: definite maps, byte strings without tags, big longs as integers', () => {
  assert.equal(encodeCbor(CW, 'PutMetricDataInput', {}).toString('hex'), 'a0');
  assert.equal(encodeCbor(CW, 'GetMetricWidgetImageOutput', { MetricWidgetImage: Buffer.from([1, 2]) }).toString('hex'), 'a1' + '714d6574726963576964676574496d616765' + '420102');
  assert.equal(encodeCbor(CW, 'GetMetricWidgetImageOutput', { MetricWidgetImage: new Uint8Array([1, 2]) }).toString('hex').endsWith('420102'), true);
  // Epoch-ms longs exceed 32 bits; cbor-x alone would write a float64 (0xfb).
  const event = encodeCbor(LOGS, 'InputLogEvent', { timestamp: 1767323045000, message: 'm' });
  assert.ok(event.toString('hex').includes('1b0000019b7ca98c88'), event.toString('hex'));
  assert.deepEqual(decodeCbor(LOGS, 'InputLogEvent', event), { timestamp: 1767323045000, message: 'm' });
});

test('decodeCbor(encodeCbor(x)) is x', () => {
  const value = {
    Namespace: 'App/Test',
    MetricData: [
      { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: new Date(1767323045678), Value: 12.5, Unit: 'Milliseconds' },
      { MetricName: 'Count', Values: [1, 2.5, -3], Counts: [3, 4], StorageResolution: 1 },
    ],
    StrictEntityValidation: false,
  };
  assert.deepEqual(decodeCbor(CW, 'PutMetricDataInput', encodeCbor(CW, 'PutMetricDataInput', value)), value);
});

test('malformed or mistyped CBOR is a SerializationException; an empty body is an empty input', () => {
  const rejects = (bytes: Buffer, pattern: RegExp): void =>
    assert.throws(() => decodeCbor(CW, 'DescribeAlarmsInput', bytes), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'SerializationException');
      assert.match(e.message, pattern);
      return true;
    });
  rejects(Buffer.from('a16a416c61726d4e616d6573', 'hex'), /Malformed CBOR/); // truncated
  rejects(Buffer.from('a0ff', 'hex'), /Malformed CBOR/); // trailing bytes
  rejects(Buffer.from('a16a416c61726d4e616d65736161', 'hex'), /member 'AlarmNames': expected a list, got string "a"/);
  assert.deepEqual(decodeCbor(CW, 'DescribeAlarmsInput', Buffer.alloc(0)), {});
});

test('encodeCborError is a definite two-entry map', () => {
  const bytes = encodeCborError('com.amazonaws.cloudwatch#InvalidParameterValueException', 'bad');
  assert.equal(bytes[0], 0xa2);
  assert.deepEqual(decode(bytes), { __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'bad' });
});

test('SDK v3 CloudWatch forced onto rpc-v2-cbor parses encodeCbor output, errors included', async () => {
  const alarm = {
    AlarmName: 'high-latency',
    StateValue: 'ALARM',
    StateUpdatedTimestamp: new Date('2026-01-02T03:04:00.123Z'),
    Threshold: 100.5,
    EvaluationPeriods: 2,
    Dimensions: [{ Name: 'Host', Value: 'h1' }],
    ActionsEnabled: true,
  };
  const seen: Array<{ op: string; body: Buffer }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const op = String(req.url).split('/').pop()!;
    seen.push({ op, body: Buffer.concat(chunks) });
    const headers = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': 'r1' };
    if (op === 'DescribeAlarms') return res.writeHead(200, headers).end(encodeCbor(CW, 'DescribeAlarmsOutput', { MetricAlarms: [alarm], CompositeAlarms: [] }));
    if (op === 'GetMetricWidgetImage') return res.writeHead(200, headers).end(encodeCbor(CW, 'GetMetricWidgetImageOutput', { MetricWidgetImage: Buffer.from('PNG') }));
    if (op === 'PutMetricData') return res.writeHead(200, headers).end(encodeCbor(CW, 'PutMetricDataInput', undefined));
    const info = findErrorShape(CW, 'InvalidParameterValue')!;
    res.writeHead(info.status, { ...headers, 'x-amzn-query-error': `${info.awsQueryCode};Sender` });
    res.end(encodeCborError(`com.amazonaws.cloudwatch#${info.shapeName}`, 'nope'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new cw.CloudWatchClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    protocol: AwsSmithyRpcV2CborProtocol,
  });
  try {
    const alarms = await client.send(new cw.DescribeAlarmsCommand({ AlarmNames: ['high-latency'] }));
    assert.deepEqual(alarms.MetricAlarms, [alarm]);
    const image = await client.send(new cw.GetMetricWidgetImageCommand({ MetricWidget: '{}' }));
    assert.equal(Buffer.from(image.MetricWidgetImage!).toString(), 'PNG');

    const datum = { MetricName: 'Latency', Timestamp: new Date(1767323045678), Value: 12.5 };
    await client.send(new cw.PutMetricDataCommand({ Namespace: 'App/Test', MetricData: [datum] }));
    const put = seen.find((s) => s.op === 'PutMetricData')!;
    assert.deepEqual(decodeCbor(CW, 'PutMetricDataInput', put.body), { Namespace: 'App/Test', MetricData: [datum] });

    await assert.rejects(client.send(new cw.DeleteAlarmsCommand({ AlarmNames: ['x'] })), (e: Error & { Code?: string }) => {
      assert.equal(e.name, 'InvalidParameterValueException');
      assert.equal(e.message, 'nope');
      assert.equal(e.Code, 'InvalidParameterValue');
      return true;
    });
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
