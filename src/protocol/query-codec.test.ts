import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import * as cw from '@aws-sdk/client-cloudwatch';
import * as sns from '@aws-sdk/client-sns';
import { ServiceError } from './errors.ts';
import { findErrorShape, loadModel, type ServiceModel } from './models/index.ts';
import { decodeQuery, encodeQueryError, encodeQueryResponse } from './query-codec.ts';

const CW = loadModel('cloudwatch');
const SNS = loadModel('sns');
const RID = 'b9a8c7d6-0000-4000-8000-000000000001';
const T0 = new Date('2026-01-02T03:04:05Z');

interface Capture {
  headers: Record<string, string>;
  body?: string;
}
const captures = (file: string): Capture[] =>
  readFileSync(new URL(`../../../shared/protocol-captures/raw/${file}`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Capture);
const capturedForm = (file: string, action: string): URLSearchParams => {
  const c = captures(file).find((r) => r.body?.startsWith(`Action=${action}&`));
  assert.ok(c, `no ${action} in ${file}`);
  return new URLSearchParams(c.body);
};

// --- requests -----------------------------------------------------------------------------------

test('decodes the boto3 1.26 PutMetricData body from protocols.md §2', () => {
  const input = decodeQuery(CW, 'PutMetricDataInput', capturedForm('cap-boto126-ok.jsonl', 'PutMetricData'));
  assert.deepEqual(input, {
    Namespace: 'App/Test',
    MetricData: [
      { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: T0, Value: 12.5, Unit: 'Milliseconds' },
      { MetricName: 'Count', Values: [1, 2], Counts: [3, 4], StorageResolution: 1 },
    ],
  });
});

test('decodes the CLI 2.9.19 GetMetricData body (nested structures, timestamps)', () => {
  const input = decodeQuery(CW, 'GetMetricDataInput', capturedForm('cap-cli2919-ok.jsonl', 'GetMetricData'));
  assert.deepEqual(input, {
    MetricDataQueries: [
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'App/Test', MetricName: 'Latency' }, Period: 60, Stat: 'Average' } },
    ],
    StartTime: T0,
    EndTime: new Date('2026-01-02T04:04:05Z'),
  });
});

test('decodes SNS MessageAttributes with the model\'s Name/Value entry names', () => {
  for (const file of ['cap-sdkv3-ok.jsonl', 'cap-boto126-ok.jsonl', 'cap-boto143-ok.jsonl']) {
    const input = decodeQuery(SNS, 'PublishInput', capturedForm(file, 'Publish'));
    assert.deepEqual(input, {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t1',
      Message: 'hello',
      Subject: 's',
      MessageAttributes: { attr: { DataType: 'String', StringValue: 'v' } },
    }, file);
  }
});

test('decodes SNS Attributes maps (key/value entries) and Tags lists, `+` and %20 spaces alike', () => {
  for (const file of ['cap-sdkv3-ok.jsonl', 'cap-boto126-ok.jsonl']) {
    const input = decodeQuery(SNS, 'CreateTopicInput', capturedForm(file, 'CreateTopic'));
    assert.deepEqual(input, { Name: 't1', Attributes: { DisplayName: 'T 1' }, Tags: [{ Key: 'k', Value: 'v' }] }, file);
  }
});

test('an empty value for a list (`Tags=`) is an empty list; an absent list stays absent', () => {
  assert.deepEqual(decodeQuery(SNS, 'CreateTopicInput', new URLSearchParams('Action=CreateTopic&Name=t&Tags=')), { Name: 't', Tags: [] });
  assert.deepEqual(decodeQuery(SNS, 'CreateTopicInput', new URLSearchParams('Name=t')), { Name: 't' });
});

test('timestamps: ISO with and without fractions or offsets, and epoch seconds', () => {
  const ts = (text: string): unknown =>
    (decodeQuery(CW, 'GetMetricStatisticsInput', new URLSearchParams({ StartTime: text })) as { StartTime: Date }).StartTime;
  assert.deepEqual(ts('2026-01-02T03:04:05Z'), T0);
  assert.deepEqual(ts('2026-01-02T03:04:05.678000Z'), new Date('2026-01-02T03:04:05.678Z')); // botocore microseconds
  assert.deepEqual(ts('2026-01-02T05:04:05+02:00'), T0);
  assert.deepEqual(ts('1767323045'), T0);
  assert.deepEqual(ts('1767323045.5'), new Date(1767323045500));
});

test('numbers, booleans, unicode and blobs are read by their shape', () => {
  const input = decodeQuery(
    CW,
    'PutMetricAlarmInput',
    new URLSearchParams('AlarmName=t%20%C3%BC%26%3D%2B&Threshold=1.5e-7&EvaluationPeriods=2&ActionsEnabled=false&Period=60'),
  );
  assert.deepEqual(input, { AlarmName: 't ü&=+', Threshold: 1.5e-7, EvaluationPeriods: 2, ActionsEnabled: false, Period: 60 });
  const publish = decodeQuery(
    SNS,
    'PublishInput',
    new URLSearchParams('MessageAttributes.entry.1.Name=b&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=AAEC%2Fw%3D%3D'),
  ) as { MessageAttributes: { b: { BinaryValue: Buffer } } };
  assert.deepEqual(publish.MessageAttributes.b.BinaryValue, Buffer.from([0, 1, 2, 255]));
});

test('list elements are ordered by index, not by parameter order', () => {
  const input = decodeQuery(CW, 'DescribeAlarmsInput', new URLSearchParams('AlarmNames.member.2=b&AlarmNames.member.10=c&AlarmNames.member.1=a'));
  assert.deepEqual(input, { AlarmNames: ['a', 'b', 'c'] });
});

test('a value that is not of its type throws the caller\'s error code, naming the parameter', () => {
  const attempt = (body: string, code = 'InvalidParameterValue'): ServiceError => {
    try {
      decodeQuery(CW, 'PutMetricDataInput', new URLSearchParams(body), { malformedCode: code });
    } catch (e) {
      assert.ok(e instanceof ServiceError);
      return e;
    }
    assert.fail('expected a ServiceError');
  };
  const e = attempt('Namespace=n&MetricData.member.1.MetricName=m&MetricData.member.1.Value=abc');
  assert.equal(e.code, 'InvalidParameterValue');
  assert.equal(e.message, 'The value abc for parameter MetricData.member.1.Value is not a valid number.');
  assert.equal(attempt('MetricData.member.1.StorageResolution=1.5', 'InvalidParameter').code, 'InvalidParameter');
  assert.match(attempt('MetricData.member.1.Timestamp=yesterday').message, /MetricData\.member\.1\.Timestamp is not a valid timestamp/);
  assert.match(attempt('StrictEntityValidation=yes').message, /not a valid boolean/);
});

/** A tiny model exercising the rules none of the six services use: flattened lists/maps, renamed members. */
const SYNTHETIC: ServiceModel = {
  metadata: { apiVersion: '2020-01-01', endpointPrefix: 'synth', protocol: 'query', serviceId: 'Synth', xmlNamespace: 'urn:synth' },
  operations: { Op: { name: 'Op', http: { method: 'POST', requestUri: '/' }, input: { shape: 'S' }, output: { shape: 'S', resultWrapper: 'OpResult' } } },
  shapes: {
    S: {
      type: 'structure',
      members: {
        Flat: { shape: 'FlatList', flattened: true },
        Named: { shape: 'NamedFlatList' },
        Wrapped: { shape: 'ItemList' },
        Renamed: { shape: 'Str', locationName: 'OtherName' },
        FlatMap: { shape: 'M', flattened: true },
        When: { shape: 'Epoch' },
      },
    },
    Str: { type: 'string' },
    FlatList: { type: 'list', member: { shape: 'Str' } },
    NamedFlatList: { type: 'list', member: { shape: 'Str', locationName: 'Item' }, flattened: true },
    ItemList: { type: 'list', member: { shape: 'Str', locationName: 'item' } },
    M: { type: 'map', key: { shape: 'Str', locationName: 'K' }, value: { shape: 'Str', locationName: 'V' } },
    Epoch: { type: 'timestamp', timestampFormat: 'unixTimestamp' },
  },
};

test('flattened lists/maps and locationNames follow botocore\'s query rules', () => {
  const input = decodeQuery(
    SYNTHETIC,
    'S',
    new URLSearchParams('Flat.1=a&Flat.2=b&Item.1=x&Wrapped.item.1=w&OtherName=r&FlatMap.1.K=k&FlatMap.1.V=v'),
  );
  assert.deepEqual(input, { Flat: ['a', 'b'], Named: ['x'], Wrapped: ['w'], Renamed: 'r', FlatMap: { k: 'v' } });
});

// --- responses ----------------------------------------------------------------------------------

test('DescribeAlarms output is the §3.1 envelope, lists as <member>, ISO timestamps with ms', () => {
  const xml = encodeQueryResponse(
    CW,
    'DescribeAlarms',
    {
      MetricAlarms: [
        {
          AlarmName: 'high-latency',
          AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency',
          StateValue: 'ALARM',
          StateUpdatedTimestamp: new Date('2026-01-02T03:04:00Z'),
          Threshold: 100.5,
          Dimensions: [{ Name: 'Host', Value: 'h1' }],
          ActionsEnabled: true,
        },
      ],
      CompositeAlarms: [],
    },
    RID,
  );
  assert.equal(
    xml,
    '<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><DescribeAlarmsResult>' +
      '<CompositeAlarms/><MetricAlarms><member><AlarmName>high-latency</AlarmName>' +
      '<AlarmArn>arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency</AlarmArn><ActionsEnabled>true</ActionsEnabled>' +
      '<StateValue>ALARM</StateValue><StateUpdatedTimestamp>2026-01-02T03:04:00.000Z</StateUpdatedTimestamp>' +
      '<Dimensions><member><Name>Host</Name><Value>h1</Value></member></Dimensions><Threshold>100.5</Threshold></member>' +
      `</MetricAlarms></DescribeAlarmsResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></DescribeAlarmsResponse>`,
  );
});

test('an operation without output has no Result element; one with output always has it', () => {
  assert.equal(
    encodeQueryResponse(CW, 'PutMetricData', undefined, RID),
    `<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></PutMetricDataResponse>`,
  );
  assert.equal(
    encodeQueryResponse(SNS, 'ListTopics', undefined, RID),
    `<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListTopicsResult/><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></ListTopicsResponse>`,
  );
});

test('ListTopics and GetTopicAttributes (a map) encode as protocols.md §3.1 shows', () => {
  assert.equal(
    encodeQueryResponse(SNS, 'ListTopics', { Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t1' }] }, RID),
    '<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListTopicsResult><Topics><member>' +
      '<TopicArn>arn:aws:sns:us-east-1:000000000000:t1</TopicArn></member></Topics></ListTopicsResult>' +
      `<ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></ListTopicsResponse>`,
  );
  assert.equal(
    encodeQueryResponse(SNS, 'GetTopicAttributes', { Attributes: { DisplayName: 'T 1', Policy: '{"a":"<b>"}' } }, RID),
    '<GetTopicAttributesResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><GetTopicAttributesResult><Attributes>' +
      '<entry><key>DisplayName</key><value>T 1</value></entry><entry><key>Policy</key><value>{"a":"&lt;b&gt;"}</value></entry>' +
      `</Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></GetTopicAttributesResponse>`,
  );
});

test('flattened lists repeat the element; flattened maps repeat the member; model timestampFormat wins', () => {
  const xml = encodeQueryResponse(
    SYNTHETIC,
    'Op',
    { Flat: ['a', 'b'], Named: ['x'], Wrapped: [], Renamed: 'r', FlatMap: { k: 'v' }, When: new Date(1767323040123) },
    RID,
  );
  assert.equal(
    xml,
    '<OpResponse xmlns="urn:synth"><OpResult><Flat>a</Flat><Flat>b</Flat><Item>x</Item><Wrapped/><OtherName>r</OtherName>' +
      '<FlatMap><K>k</K><V>v</V></FlatMap><When>1767323040.123</When></OpResult>' +
      `<ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></OpResponse>`,
  );
});

test('the error document is exactly §3.1\'s', () => {
  assert.equal(
    encodeQueryError('http://sns.amazonaws.com/doc/2010-03-31/', { code: 'NotFound', message: 'Topic <t1> does not exist', sender: true }, RID),
    '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
      `<Code>NotFound</Code><Message>Topic &lt;t1&gt; does not exist</Message></Error><RequestId>${RID}</RequestId></ErrorResponse>`,
  );
  assert.match(encodeQueryError('x', { code: 'InternalError', message: 'm', sender: false }, RID), /<Type>Receiver<\/Type>/);
});

// --- real clients -------------------------------------------------------------------------------

interface Seen {
  action: string;
  params: URLSearchParams;
}
type Answer = (action: string, params: URLSearchParams) => unknown;

/** An awsQuery server backed by these codecs, as the real one will be: decode, answer, encode. */
async function queryServer(model: ServiceModel, answer: Answer): Promise<{ endpoint: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = params.get('Action') ?? '';
    seen.push({ action, params });
    const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': RID };
    try {
      const body = encodeQueryResponse(model, action, answer(action, params), RID);
      res.writeHead(200, headers).end(body);
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      const info = findErrorShape(model, e.code);
      const code = info?.awsQueryCode ?? e.code;
      res.writeHead(info?.status ?? e.status, headers).end(encodeQueryError(model.metadata.xmlNamespace!, { code, message: e.message, sender: info?.sender ?? e.sender }, RID));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

const TRICKY = 'a & b < c > d "q" \'s\' ]]> tab\there\r\nline2 ü 😀';

test('SDK v3 SNS parses ListTopics, GetTopicAttributes, CreateTopic and errors from these encoders', async () => {
  const server = await queryServer(SNS, (action, params) => {
    switch (action) {
      case 'ListTopics':
        return { Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t1' }, { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t2' }], NextToken: 'n2' };
      case 'GetTopicAttributes':
        return { Attributes: { DisplayName: TRICKY, Empty: '' } };
      case 'CreateTopic':
        return { TopicArn: `arn:aws:sns:us-east-1:000000000000:${(decodeQuery(SNS, 'CreateTopicInput', params) as { Name: string }).Name}` };
      case 'Publish':
        return { MessageId: 'm1' };
      case 'DeleteTopic':
        throw new ServiceError('NotFoundException', 'Topic does not exist');
      default:
        throw new Error(`unexpected ${action}`);
    }
  });
  const client = new sns.SNSClient(clientConfig(server.endpoint));
  try {
    const topics = await client.send(new sns.ListTopicsCommand({}));
    assert.deepEqual(topics.Topics, [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:t1' }, { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t2' }]);
    assert.equal(topics.NextToken, 'n2');
    assert.equal(topics.$metadata.requestId, RID);

    const attrs = await client.send(new sns.GetTopicAttributesCommand({ TopicArn: 'arn:t' }));
    assert.deepEqual(attrs.Attributes, { DisplayName: TRICKY, Empty: '' });

    const created = await client.send(
      new sns.CreateTopicCommand({ Name: 't ü', Attributes: { DisplayName: TRICKY }, Tags: [] }),
    );
    assert.equal(created.TopicArn, 'arn:aws:sns:us-east-1:000000000000:t ü');

    const published = await client.send(
      new sns.PublishCommand({
        TopicArn: 'arn:t',
        Message: TRICKY,
        MessageAttributes: {
          s: { DataType: 'String', StringValue: 'v' },
          b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
        },
      }),
    );
    assert.equal(published.MessageId, 'm1');

    await assert.rejects(client.send(new sns.DeleteTopicCommand({ TopicArn: 'arn:t' })), (e: sns.NotFoundException) => {
      assert.ok(e instanceof sns.NotFoundException);
      assert.equal(e.message, 'Topic does not exist');
      assert.equal((e as unknown as { Code: string }).Code, 'NotFound');
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });

    // What the SDK sent decodes back to what it was given.
    const create = server.seen.find((s) => s.action === 'CreateTopic')!;
    assert.deepEqual(decodeQuery(SNS, 'CreateTopicInput', create.params), { Name: 't ü', Attributes: { DisplayName: TRICKY }, Tags: [] });
    const publish = server.seen.find((s) => s.action === 'Publish')!;
    assert.deepEqual(decodeQuery(SNS, 'PublishInput', publish.params), {
      TopicArn: 'arn:t',
      Message: TRICKY,
      MessageAttributes: {
        s: { DataType: 'String', StringValue: 'v' },
        b: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
      },
    });
  } finally {
    client.destroy();
    await server.close();
  }
});

const ALARM = {
  AlarmName: 'high-latency',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:high-latency',
  StateValue: 'ALARM',
  StateUpdatedTimestamp: new Date('2026-01-02T03:04:00.123Z'),
  Threshold: 100.5,
  EvaluationPeriods: 2,
  Dimensions: [{ Name: 'Host', Value: 'h1' }],
  AlarmActions: [],
  ActionsEnabled: true,
};
const METRIC_DATA_RESULT = {
  Id: 'm1',
  Label: 'Latency',
  Timestamps: [new Date('2026-01-02T03:04:00Z'), new Date('2026-01-02T03:05:00Z')],
  Values: [12.5, 1e-7],
  StatusCode: 'Complete',
};

test('SDK v3 CloudWatch forced onto awsQuery round-trips DescribeAlarms, GetMetricData and PutMetricData', async () => {
  const server = await queryServer(CW, (action) => {
    if (action === 'DescribeAlarms') return { MetricAlarms: [ALARM], CompositeAlarms: [] };
    if (action === 'GetMetricData') return { MetricDataResults: [METRIC_DATA_RESULT], Messages: [] };
    return undefined;
  });
  const client = new cw.CloudWatchClient({ ...clientConfig(server.endpoint), protocol: AwsQueryProtocol });
  try {
    const alarms = await client.send(new cw.DescribeAlarmsCommand({ AlarmNames: ['high-latency'], MaxRecords: 10 }));
    assert.deepEqual(alarms.MetricAlarms, [ALARM]);
    assert.deepEqual(alarms.CompositeAlarms, []);

    const data = await client.send(
      new cw.GetMetricDataCommand({ StartTime: T0, EndTime: new Date(T0.getTime() + 3600e3), MetricDataQueries: [{ Id: 'm1', Expression: 'SELECT 1', Period: 60 }] }),
    );
    assert.deepEqual(data.MetricDataResults, [METRIC_DATA_RESULT]);

    const datum = { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: new Date(1767323045678), Value: 12.5, Unit: 'Milliseconds' as const };
    await client.send(new cw.PutMetricDataCommand({ Namespace: 'App/Test', MetricData: [datum, { MetricName: 'Count', Values: [1, 2], Counts: [3, 4] }] }));
    const put = server.seen.find((s) => s.action === 'PutMetricData')!;
    assert.deepEqual(decodeQuery(CW, 'PutMetricDataInput', put.params), {
      Namespace: 'App/Test',
      MetricData: [datum, { MetricName: 'Count', Values: [1, 2], Counts: [3, 4] }],
    });
    const describe = server.seen.find((s) => s.action === 'DescribeAlarms')!;
    assert.deepEqual(decodeQuery(CW, 'DescribeAlarmsInput', describe.params), { AlarmNames: ['high-latency'], MaxRecords: 10 });
  } finally {
    client.destroy();
    await server.close();
  }
});

// botocore's XML parser (expat) is the strict one; the Debian boto3 1.26 speaks awsQuery to CloudWatch.
const BOTO_126 = '/usr/bin/python3';
const BOTO_SCRIPT = `
import json, sys, boto3
ep = sys.argv[1]
kw = dict(endpoint_url=ep, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
out = {}
c = boto3.client('cloudwatch', **kw)
r = c.describe_alarms(AlarmNames=['high-latency'])
a = r['MetricAlarms'][0]
out['alarm'] = [a['AlarmName'], a['StateUpdatedTimestamp'].isoformat(), a['Threshold'], a['ActionsEnabled'], a['Dimensions']]
out['composite'] = r['CompositeAlarms']
s = boto3.client('sns', **kw)
out['attrs'] = s.get_topic_attributes(TopicArn='arn:t')['Attributes']
out['topics'] = s.list_topics()['Topics']
try:
    s.delete_topic(TopicArn='arn:t')
except s.exceptions.NotFoundException as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Type'], e.response['Error']['Message']]
print(json.dumps(out))
`;

test('boto3 1.26 (botocore XML parser) reads the same documents', { skip: !existsSync(BOTO_126) && 'no /usr/bin/python3' }, async (t) => {
  const answer = (model: ServiceModel): Answer => (action) => {
    if (action === 'DescribeAlarms') return { MetricAlarms: [ALARM], CompositeAlarms: [] };
    if (action === 'GetTopicAttributes') return { Attributes: { DisplayName: TRICKY, Control: 'bell\u0007' } };
    if (action === 'ListTopics') return { Topics: [] };
    if (action === 'DeleteTopic') throw new ServiceError('NotFound', 'gone');
    throw new Error(`unexpected ${action} for ${model.metadata.serviceId}`);
  };
  // One endpoint for both services: route by the Version parameter, as the real server will.
  const cwServer = await queryServer(CW, answer(CW));
  const snsServer = await queryServer(SNS, answer(SNS));
  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const target = new URLSearchParams(body.toString()).get('Version') === '2010-03-31' ? snsServer : cwServer;
    const upstream = await fetch(target.endpoint, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    res.writeHead(upstream.status, { 'content-type': 'text/xml' }).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = proxy.address() as AddressInfo;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(BOTO_126, ['-c', BOTO_SCRIPT, `http://127.0.0.1:${port}`], (err, out, errOut) => (err ? reject(new Error(errOut || err.message)) : resolve(out))),
    ).catch((e: Error) => {
      if (/No module named/.test(e.message)) t.skip('boto3 not installed');
      throw e;
    });
    const out = JSON.parse(stdout);
    assert.deepEqual(out.alarm, ['high-latency', '2026-01-02T03:04:00.123000+00:00', 100.5, true, [{ Name: 'Host', Value: 'h1' }]]);
    assert.deepEqual(out.composite, []);
    // XML 1.0 cannot carry BEL: it arrives as U+FFFD rather than breaking the document.
    assert.deepEqual(out.attrs, { DisplayName: TRICKY, Control: 'bell\uFFFD' });
    assert.deepEqual(out.topics, []);
    assert.deepEqual(out.error, ['NotFound', 'Sender', 'gone']);
  } finally {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await cwServer.close();
    await snsServer.close();
  }
});
