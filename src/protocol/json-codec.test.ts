import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import * as cw from '@aws-sdk/client-cloudwatch';
import { ServiceError } from './errors.ts';
import { decodeJson, encodeJson } from './json-codec.ts';
import { parseTimestamp } from './text-forms.ts';
import { loadModel } from './models/index.ts';

const CW = loadModel('cloudwatch');
const LOGS = loadModel('logs');
const EVENTS = loadModel('events');
const T0 = new Date('2026-01-02T03:04:05Z');

interface Capture {
  headers: Record<string, string>;
  body?: string;
}
const capturedJson = (file: string, target: string): unknown => {
  const lines = readFileSync(new URL(`../../../shared/protocol-captures/raw/${file}`, import.meta.url), 'utf8').trim().split('\n');
  const c = lines.map((l) => JSON.parse(l) as Capture).find((r) => (r.headers['x-amz-target'] ?? r.headers['X-Amz-Target']) === target);
  assert.ok(c?.body, `no ${target} in ${file}`);
  return JSON.parse(c.body);
};

const serializationError = (fn: () => unknown, pattern: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ServiceError, String(e));
    assert.equal(e.code, 'SerializationException');
    assert.match(e.message, pattern);
    return true;
  });
};

test('decodes the captured SDK v3 and boto3 1.43 PutMetricData bodies into domain values', () => {
  for (const file of ['cap-sdkv3-ok.jsonl', 'cap-boto143-ok.jsonl']) {
    const input = decodeJson(CW, 'PutMetricDataInput', capturedJson(file, 'GraniteServiceVersion20100801.PutMetricData'));
    assert.deepEqual(input, {
      Namespace: 'App/Test',
      MetricData: [
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: T0, Value: 12.5, Unit: 'Milliseconds' },
        { MetricName: 'Count', Values: [1, 2], Counts: [3, 4], StorageResolution: 1 },
      ],
    }, file);
  }
});

test('Logs longs stay numbers (epoch ms), Events timestamps become Dates', () => {
  const put = decodeJson(LOGS, 'PutLogEventsRequest', capturedJson('cap-sdkv3-ok.jsonl', 'Logs_20140328.PutLogEvents'));
  assert.deepEqual(put, { logGroupName: '/app/test', logStreamName: 's1', logEvents: [{ timestamp: 1767323045000, message: 'hello world' }] });
  const events = decodeJson(EVENTS, 'PutEventsRequest', capturedJson('cap-boto126-ok.jsonl', 'AWSEvents.PutEvents'));
  assert.deepEqual(events, { Entries: [{ Source: 'my.app', DetailType: 'thing', Detail: '{"a": 1}', Time: T0 }] });
});

test('timestamps accept epoch seconds with fractions, numeric strings and ISO strings', () => {
  const time = (v: unknown): unknown => (decodeJson(EVENTS, 'PutEventsRequestEntry', { Time: v }) as { Time: Date }).Time;
  assert.deepEqual(time(1767323045.678), new Date(1767323045678));
  assert.deepEqual(time(1767323045), T0);
  assert.deepEqual(time('1767323045'), T0);
  assert.deepEqual(time(1.767323045e9), T0);
  assert.deepEqual(time('2026-01-02T03:04:05Z'), T0);
  assert.deepEqual(time('2026-01-02T03:04:05.678+00:00'), new Date(1767323045678));
  serializationError(() => time('yesterday'), /member 'Time': expected a timestamp/);
  serializationError(() => time(true), /got boolean true/);
});

test('parseTimestamp rejects impossible dates instead of rolling them over', () => {
  assert.equal(parseTimestamp('2026-02-30T00:00:00Z'), undefined);
  assert.equal(parseTimestamp('2026-13-01T00:00:00Z'), undefined);
  assert.equal(parseTimestamp(1e20), undefined);
  assert.deepEqual(parseTimestamp('2026-01-02'), new Date('2026-01-02T00:00:00Z'));
});

test('blobs are base64 in JSON, Buffers in the domain', () => {
  const decoded = decodeJson(LOGS, 'FieldsData', { data: 'AAEC/w==' }) as { data: Buffer };
  assert.ok(Buffer.isBuffer(decoded.data));
  assert.deepEqual([...decoded.data], [0, 1, 2, 255]);
  serializationError(() => decodeJson(LOGS, 'FieldsData', { data: 'not base64!' }), /member 'data': expected bytes \(base64 text\)/);
  assert.deepEqual(encodeJson(LOGS, 'FieldsData', { data: Buffer.from([0, 1, 2, 255]) }), { data: 'AAEC/w==' });
});

test('a value of the wrong type is a SerializationException naming the member and the expected type', () => {
  serializationError(() => decodeJson(LOGS, 'DescribeLogStreamsRequest', { limit: '10' }), /member 'limit': expected an integer, got string "10"/);
  serializationError(() => decodeJson(LOGS, 'DescribeLogStreamsRequest', { limit: 1.5 }), /expected an integer/);
  serializationError(() => decodeJson(LOGS, 'DescribeLogStreamsRequest', { limit: 2 ** 31 }), /between -2147483648 and 2147483647/);
  serializationError(() => decodeJson(LOGS, 'PutLogEventsRequest', { logEvents: { timestamp: 1 } }), /member 'logEvents': expected a list, got an object/);
  serializationError(() => decodeJson(LOGS, 'PutLogEventsRequest', { logEvents: [{ message: 5 }] }), /member 'logEvents\[0\]\.message': expected a string, got number 5/);
  serializationError(() => decodeJson(LOGS, 'CreateLogGroupRequest', { tags: ['a'] }), /member 'tags': expected an object \(map\)/);
  serializationError(() => decodeJson(LOGS, 'DescribeLogStreamsRequest', { descending: 'true' }), /expected a boolean/);
  serializationError(() => decodeJson(LOGS, 'DescribeLogStreamsRequest', []), /the request body: expected an object/);
});

test('an error after members already converted still names the right member', () => {
  // Decoding converts the parsed document in place; the second pass that finds the error's path
  // must not trip over the timestamps and blobs the first pass already converted.
  const doc = JSON.parse('{"Entries":[{"Time":1700000000,"Detail":"{}"},{"Time":1700000001,"Detail":5}]}');
  serializationError(() => decodeJson(EVENTS, 'PutEventsRequest', doc), /member 'Entries\[1\]\.Detail': expected a string, got number 5/);
});

test('unknown members are ignored and nulls are absent; an empty body is an empty input', () => {
  assert.deepEqual(decodeJson(LOGS, 'DescribeLogStreamsRequest', { logGroupName: 'g', nope: 1, limit: null, orderBy: undefined }), { logGroupName: 'g' });
  assert.deepEqual(decodeJson(LOGS, 'DescribeLogStreamsRequest', undefined), {});
  assert.deepEqual(decodeJson(LOGS, 'DescribeLogStreamsRequest', {}), {});
});

test('map keys from clients cannot reach the prototype', () => {
  const tags = (decodeJson(LOGS, 'CreateLogGroupRequest', JSON.parse('{"tags":{"__proto__":"x","a":"b"}}')) as { tags: Record<string, string> }).tags;
  assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  assert.deepEqual(Object.keys(tags), ['__proto__', 'a']);
});

test('encodeJson: epoch seconds with ms, member order, no undefined, no unknown fields, non-finite floats as strings', () => {
  const out = encodeJson(CW, 'GetMetricDataOutput', {
    Messages: [],
    MetricDataResults: [
      { Id: 'm1', Timestamps: [new Date(1767323040123), new Date(1767323100000)], Values: [12.5, NaN, Infinity], StatusCode: 'Complete', Label: undefined, internal: 'x' },
    ],
    NextToken: undefined,
  });
  assert.equal(
    JSON.stringify(out),
    '{"MetricDataResults":[{"Id":"m1","Timestamps":[1767323040.123,1767323100],"Values":[12.5,"NaN","Infinity"],"StatusCode":"Complete"}],"Messages":[]}',
  );
  assert.deepEqual(encodeJson(CW, 'GetMetricDataOutput', undefined), {});
  assert.throws(() => encodeJson(CW, 'GetMetricDataOutput', { Messages: 'nope' }), TypeError);
});

test('decodeJson(encodeJson(x)) is x for a DescribeAlarms output', () => {
  const output = {
    MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: new Date(1767323040123), Threshold: 100.5, ActionsEnabled: true, Dimensions: [{ Name: 'H', Value: 'h' }] }],
    CompositeAlarms: [],
  };
  const wire = JSON.parse(JSON.stringify(encodeJson(CW, 'DescribeAlarmsOutput', output)));
  assert.deepEqual(decodeJson(CW, 'DescribeAlarmsOutput', wire), output);
});

test('SDK v3 CloudWatch (awsJson1_0) parses encodeJson output and its requests decode', async () => {
  const alarm = {
    AlarmName: 'high-latency',
    AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency',
    StateValue: 'ALARM',
    StateUpdatedTimestamp: new Date('2026-01-02T03:04:00.123Z'),
    Threshold: 100,
    Dimensions: [{ Name: 'Host', Value: 'h1' }],
    ActionsEnabled: true,
  };
  const outputs: Record<string, [string, unknown]> = {
    DescribeAlarms: ['DescribeAlarmsOutput', { MetricAlarms: [alarm], CompositeAlarms: [] }],
    GetMetricData: ['GetMetricDataOutput', { MetricDataResults: [{ Id: 'm1', Timestamps: [new Date(1767323040000)], Values: [12.5], StatusCode: 'Complete' }], Messages: [] }],
    PutMetricData: ['', undefined],
  };
  const seen: Array<{ op: string; body: unknown }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const op = String(req.headers['x-amz-target']).split('.').pop()!;
    seen.push({ op, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    const [shape, output] = outputs[op]!;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r1' });
    res.end(shape ? JSON.stringify(encodeJson(CW, shape, output)) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new cw.CloudWatchClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  try {
    const alarms = await client.send(new cw.DescribeAlarmsCommand({ AlarmNames: ['high-latency'] }));
    assert.deepEqual(alarms.MetricAlarms, [alarm]);
    assert.deepEqual(alarms.CompositeAlarms, []);
    const data = await client.send(new cw.GetMetricDataCommand({ StartTime: T0, EndTime: T0, MetricDataQueries: [{ Id: 'm1', Expression: 'SELECT 1' }] }));
    assert.deepEqual(data.MetricDataResults, [{ Id: 'm1', Timestamps: [new Date(1767323040000)], Values: [12.5], StatusCode: 'Complete' }]);

    const datum = { MetricName: 'Latency', Timestamp: new Date(1767323045678), Value: 12.5 };
    await client.send(new cw.PutMetricDataCommand({ Namespace: 'App/Test', MetricData: [datum] }));
    const put = seen.find((s) => s.op === 'PutMetricData')!;
    // SDK v3 sends fractional epoch seconds; the fraction survives to the millisecond.
    assert.deepEqual(decodeJson(CW, 'PutMetricDataInput', put.body), { Namespace: 'App/Test', MetricData: [datum] });
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('an output value that does not fit its shape is reported with its full path', () => {
  const kinesis = loadModel('kinesis');
  assert.throws(
    () => encodeJson(kinesis, 'PutRecordsOutput', { Records: [{ ShardId: 'shardId-000000000000' }, { ShardId: { no: 1 } }] }),
    (e: Error) => e instanceof TypeError && /^Output PutRecordsOutput\.Records\[1\]\.ShardId: expected /.test(e.message),
  );
  assert.deepEqual(encodeJson(kinesis, 'PutRecordsOutput', { FailedRecordCount: 0, Records: [{ ShardId: 's', SequenceNumber: '1' }] }),
    { FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] });
});
