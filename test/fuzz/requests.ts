/**
 * Valid request inputs for real operations (the seeds the HTTP fuzzers mutate) and the request
 * generators per protocol. Shared by test/fuzz/protocol-*.test.ts.
 */
import fc from 'fast-check';
import { encode as cborEncode } from 'cbor-x';
import { loadModel } from '../../src/protocol/models/index.ts';
import { hostileJsonText, mutatedBytes, mutatedValue, type FuzzRequest } from './support.ts';

const nowS = Math.floor(Date.now() / 1000);
const nowMs = nowS * 1000;

export const LOGS_INPUTS: Record<string, Record<string, unknown>> = {
  CreateLogGroup: { logGroupName: 'fuzz-g2', tags: { a: 'b' } },
  CreateLogStream: { logGroupName: 'fuzz-g', logStreamName: 's2' },
  PutLogEvents: { logGroupName: 'fuzz-g', logStreamName: 's', logEvents: [{ timestamp: nowMs, message: 'ERROR 200 {"a":1}' }, { timestamp: nowMs, message: 'ip user 404' }] },
  FilterLogEvents: { logGroupName: 'fuzz-g', filterPattern: '{ $.a = 1 }', startTime: nowMs - 3_600_000, endTime: nowMs + 60_000, limit: 10 },
  StartQuery: { logGroupName: 'fuzz-g', startTime: nowS - 3600, endTime: nowS + 60, queryString: 'fields @message | filter @message like /ERR/ | stats count(*) by bin(5m)', limit: 100 },
  GetLogEvents: { logGroupName: 'fuzz-g', logStreamName: 's', startFromHead: true, limit: 5 },
  DescribeLogGroups: { logGroupNamePrefix: 'fuzz', limit: 5 },
  DescribeLogStreams: { logGroupName: 'fuzz-g', orderBy: 'LastEventTime', descending: true },
  PutMetricFilter: { logGroupName: 'fuzz-g', filterName: 'f', filterPattern: '[ip, user, status=4*]', metricTransformations: [{ metricName: 'm', metricNamespace: 'FuzzNs', metricValue: '1', defaultValue: 0 }] },
  TestMetricFilter: { filterPattern: '{ $.a = 1 }', logEventMessages: ['{"a":1}', 'nope'] },
  PutRetentionPolicy: { logGroupName: 'fuzz-g', retentionInDays: 7 },
  TagLogGroup: { logGroupName: 'fuzz-g', tags: { k: 'v' } },
  GetQueryResults: { queryId: '12345678-1234-1234-1234-123456789012' },
  PutQueryDefinition: { name: 'qd', queryString: 'fields @message', logGroupNames: ['fuzz-g'] },
  GetLogGroupFields: { logGroupName: 'fuzz-g' },
};

/** CloudWatch inputs in JSON form (timestamps as epoch seconds). */
export const CW_INPUTS: Record<string, Record<string, unknown>> = {
  PutMetricData: { Namespace: 'Fuzz', MetricData: [{ MetricName: 'm', Dimensions: [{ Name: 'd', Value: 'v' }], Value: 1.5, Unit: 'Count', Timestamp: nowS }, { MetricName: 'm', Values: [1, 2], Counts: [1, 3], StatisticValues: undefined }] },
  GetMetricData: {
    MetricDataQueries: [
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'Fuzz', MetricName: 'm', Dimensions: [{ Name: 'd', Value: 'v' }] }, Period: 60, Stat: 'Average' } },
      { Id: 'e1', Expression: 'm1 * 2 + RATE(m1)' },
      { Id: 's1', Expression: "SEARCH('{Fuzz,d} m', 'Sum', 60)" },
      { Id: 'q1', Expression: 'SELECT AVG(m) FROM Fuzz GROUP BY d', Period: 60 },
    ],
    StartTime: nowS - 3600,
    EndTime: nowS,
    MaxDatapoints: 100,
  },
  GetMetricStatistics: { Namespace: 'Fuzz', MetricName: 'm', StartTime: nowS - 3600, EndTime: nowS, Period: 60, Statistics: ['Average', 'Sum'], ExtendedStatistics: undefined },
  ListMetrics: { Namespace: 'Fuzz', Dimensions: [{ Name: 'd' }] },
  PutMetricAlarm: { AlarmName: 'fa', MetricName: 'm', Namespace: 'Fuzz', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' },
  PutCompositeAlarm: { AlarmName: 'fc', AlarmRule: 'ALARM(fa) OR NOT OK("fa")' },
  DescribeAlarms: { AlarmNames: ['fa', 'fc'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
  SetAlarmState: { AlarmName: 'fa', StateValue: 'ALARM', StateReason: 'fuzz' },
  PutDashboard: { DashboardName: 'fd', DashboardBody: JSON.stringify({ widgets: [{ type: 'metric', properties: { metrics: [['Fuzz', 'm']], period: 60 } }] }) },
  GetMetricWidgetImage: { MetricWidget: JSON.stringify({ metrics: [['Fuzz', 'm', 'd', 'v']], width: 200, height: 100, start: '-PT1H' }) },
  DescribeAlarmHistory: { AlarmName: 'fa', MaxRecords: 5 },
  TagResource: { ResourceARN: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:fa', Tags: [{ Key: 'k', Value: 'v' }] },
  PutAnomalyDetector: {
    SingleMetricAnomalyDetector: { Namespace: 'Fuzz', MetricName: 'm', Dimensions: [{ Name: 'd', Value: 'v' }], Stat: 'Average' },
    Configuration: { ExcludedTimeRanges: [{ StartTime: nowS - 7200, EndTime: nowS - 3600 }], MetricTimezone: 'Europe/Paris' }, MetricCharacteristics: { PeriodicSpikes: true },
  },
  PutInsightRule: {
    RuleName: 'fr', RuleState: 'ENABLED',
    RuleDefinition: JSON.stringify({ Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['fuzz-*'], LogFormat: 'JSON',
      Contribution: { Keys: ['$.ip', '$.a[0].b'], ValueOf: '$.bytes', Filters: [{ Match: '$.status', GreaterThan: 399 }] }, AggregateOn: 'Sum' }),
  },
  GetInsightRuleReport: { RuleName: 'fr', StartTime: nowS - 3600, EndTime: nowS, Period: 300, MaxContributorCount: 5, Metrics: ['UniqueContributors', 'MaxContributorValue'], OrderBy: 'Maximum' },
  PutMetricStream: {
    Name: 'fs', FirehoseArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/fuzz', RoleArn: 'arn:aws:iam::000000000000:role/r', OutputFormat: 'opentelemetry1.0',
    IncludeFilters: [{ Namespace: 'Fuzz', MetricNames: ['m'] }], StatisticsConfigurations: [{ IncludeMetrics: [{ Namespace: 'Fuzz', MetricName: 'm' }], AdditionalStatistics: ['p99'] }],
  },
};
// JSON.stringify drops undefined members; keep the objects clean for CBOR too.
for (const v of Object.values(CW_INPUTS)) for (const k of Object.keys(v)) if (v[k] === undefined) delete v[k];
(CW_INPUTS.PutMetricData.MetricData as Record<string, unknown>[])[1] = { MetricName: 'm', Values: [1, 2], Counts: [1, 3] };

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const randomBytes = fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b));

function pick<T>(rec: Record<string, T>): fc.Arbitrary<[string, T]> {
  return fc.constantFrom(...Object.entries(rec));
}

/** An arbitrary over [operation, mutated body] for every seed operation. */
function perOperation(inputs: Record<string, Record<string, unknown>>, body: (op: string, valid: Record<string, unknown>) => fc.Arbitrary<Buffer>): fc.Arbitrary<[string, Buffer]> {
  return fc.oneof(...Object.entries(inputs).map(([op, valid]) => body(op, valid).map((b) => [op, b] as [string, Buffer])));
}

const jsonBody = (valid: Record<string, unknown>): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 4, arbitrary: mutatedValue(valid).map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')) },
    { weight: 2, arbitrary: hostileJsonText(valid).map((t) => Buffer.from(t)) },
    { weight: 2, arbitrary: mutatedBytes(Buffer.from(JSON.stringify(valid))) },
    { weight: 1, arbitrary: fc.constant(Buffer.from(JSON.stringify(valid))) },
  );

/** awsJson requests (Logs 1.1, CloudWatch 1.0 with x-amzn-query-mode). */
/** Athena inputs; the SQL strings are mutated too, so the translator sees hostile statements. */
export const ATHENA_INPUTS: Record<string, Record<string, unknown>> = {
  StartQueryExecution: { QueryString: "SELECT log_group, count(*) FROM osprey.logs WHERE timestamp > now() - interval '1' hour GROUP BY 1 ORDER BY 2 DESC LIMIT 5", WorkGroup: 'primary', QueryExecutionContext: { Database: 'osprey' } },
  GetQueryExecution: { QueryExecutionId: '12345678-1234-1234-1234-123456789012' },
  GetQueryResults: { QueryExecutionId: '12345678-1234-1234-1234-123456789012', MaxResults: 10, NextToken: 'eyJrIjoiMSJ9' },
  CreateWorkGroup: { Name: 'fuzz-wg', Configuration: { BytesScannedCutoffPerQuery: 10_000_000, EnforceWorkGroupConfiguration: true }, Tags: [{ Key: 'a', Value: 'b' }] },
  ListTableMetadata: { CatalogName: 'AwsDataCatalog', DatabaseName: 'osprey', Expression: 'l*', MaxResults: 5 },
  CreateNamedQuery: { Name: 'n', Database: 'osprey', QueryString: 'SELECT 1' },
  ListQueryExecutions: { WorkGroup: 'primary', MaxResults: 5 },
};

const JSON_SERVICES = {
  logs: { service: 'logs', prefix: 'Logs_20140328', inputs: LOGS_INPUTS, ct: 'application/x-amz-json-1.1' },
  cloudwatch: { service: 'monitoring', prefix: 'GraniteServiceVersion20100801', inputs: CW_INPUTS, ct: 'application/x-amz-json-1.0' },
  athena: { service: 'athena', prefix: 'AmazonAthena', inputs: ATHENA_INPUTS, ct: 'application/x-amz-json-1.1' },
} as const;

export function jsonRequests(kind: 'logs' | 'cloudwatch' | 'athena'): fc.Arbitrary<FuzzRequest> {
  const { service, prefix, inputs, ct } = JSON_SERVICES[kind];
  const extra: Record<string, string> = kind === 'cloudwatch' ? { 'x-amzn-query-mode': 'true' } : {};
  const ops = Object.keys(loadModel(kind).operations).filter((o) => o !== 'StartLiveTail');
  const make = (label: string, op: string, body: Buffer, headers: Record<string, string> = {}): FuzzRequest => ({
    label: `${kind} json ${label} ${op}`,
    protocol: 'json',
    service,
    headers: { 'content-type': ct, 'x-amz-target': `${prefix}.${op}`, ...extra, ...headers },
    body,
  });
  return fc.oneof(
    { weight: 7, arbitrary: perOperation(inputs, (_op, v) => jsonBody(v)).map(([op, b]) => make('mutated', op, b)) },
    { weight: 1, arbitrary: fc.tuple(pick(inputs), randomBytes).map(([[op], b]) => make('random-bytes', op, b)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ops), fc.oneof(fc.object({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }))).map(([op, v]) => make('any-op', op, Buffer.from(JSON.stringify(v) ?? ''))) },
    {
      weight: 1,
      arbitrary: fc.tuple(pick(inputs), printable, fc.constantFrom(ct, 'application/json', 'text/plain', 'application/x-amz-json-1.1', 'application/x-amz-json-1.0', '', 'application/cbor'))
        .map(([[op, v], junk, c]) => ({ ...make('odd-target', op, Buffer.from(JSON.stringify(v))), headers: { 'content-type': c, 'x-amz-target': junk.includes('.') ? junk : `${prefix}.${junk}`, ...extra } })),
    },
  );
}

// ------------------------------------------------------------------------------------------------
// awsQuery

/** Flattens a JSON-style input to awsQuery form fields (lists as .member.N, maps as .entry.N). */
export function toQueryFields(v: unknown, prefix: string, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(v)) v.forEach((x, i) => toQueryFields(x, `${prefix}.member.${i + 1}`, out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) toQueryFields(x, prefix ? `${prefix}.${k}` : k, out);
  else out.push([prefix, v === undefined ? '' : String(v)]);
  return out;
}

const isoNow = new Date(nowMs).toISOString();
export const CW_QUERY_INPUTS: Record<string, [string, string][]> = {
  PutMetricData: toQueryFields({ Namespace: 'Fuzz', MetricData: [{ MetricName: 'm', Dimensions: [{ Name: 'd', Value: 'v' }], Value: 2, Unit: 'Count', Timestamp: isoNow }] }, ''),
  GetMetricData: toQueryFields({ MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Fuzz', MetricName: 'm' }, Period: 60, Stat: 'Sum' } }, { Id: 'e1', Expression: 'FILL(m1, 0) / 2' }], StartTime: new Date(nowMs - 3_600_000).toISOString(), EndTime: isoNow }, ''),
  GetMetricStatistics: toQueryFields({ Namespace: 'Fuzz', MetricName: 'm', StartTime: new Date(nowMs - 3_600_000).toISOString(), EndTime: isoNow, Period: 60, Statistics: ['Maximum'] }, ''),
  ListMetrics: toQueryFields({ Namespace: 'Fuzz' }, ''),
  PutMetricAlarm: toQueryFields(CW_INPUTS.PutMetricAlarm, ''),
  PutCompositeAlarm: toQueryFields(CW_INPUTS.PutCompositeAlarm, ''),
  DescribeAlarms: toQueryFields({ AlarmNames: ['fa'], StateValue: 'OK' }, ''),
  PutDashboard: toQueryFields(CW_INPUTS.PutDashboard, ''),
  SetAlarmState: toQueryFields(CW_INPUTS.SetAlarmState, ''),
};
const topic = 'arn:aws:sns:us-east-1:000000000000:fuzz-topic';
export const SNS_QUERY_INPUTS: Record<string, [string, string][]> = {
  CreateTopic: [['Name', 'fuzz-topic2'], ['Attributes.entry.1.key', 'DisplayName'], ['Attributes.entry.1.value', 'x'], ['Tags.member.1.Key', 'k'], ['Tags.member.1.Value', 'v']],
  Publish: [['TopicArn', topic], ['Message', 'hello'], ['Subject', 's'], ['MessageAttributes.entry.1.Name', 'a'], ['MessageAttributes.entry.1.Value.DataType', 'String'], ['MessageAttributes.entry.1.Value.StringValue', 'x']],
  PublishBatch: [['TopicArn', topic], ['PublishBatchRequestEntries.member.1.Id', '1'], ['PublishBatchRequestEntries.member.1.Message', 'm']],
  ListTopics: [],
  GetTopicAttributes: [['TopicArn', topic]],
  SetTopicAttributes: [['TopicArn', topic], ['AttributeName', 'DisplayName'], ['AttributeValue', 'y']],
  ListSubscriptionsByTopic: [['TopicArn', topic]],
  TagResource: [['ResourceArn', topic], ['Tags.member.1.Key', 'k'], ['Tags.member.1.Value', 'v']],
  SetSubscriptionAttributes: [['SubscriptionArn', `${topic}:00000000-0000-0000-0000-000000000000`], ['AttributeName', 'FilterPolicy'], ['AttributeValue', '{"a":["b"]}']],
};

const nastyQueryValue = fc.oneof(
  fc.constantFrom('', 'NaN', 'Infinity', '-1', '1e400', '99999999999999999999999', '1.5.5', 'true', 'null', '%', '%zz', '%00', '%ff%fe', 'x'.repeat(70_000), '\u0000', '😀', '\ud800', '2024-13-45T99:99:99Z', '0x10', '+1'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.double().map(String),
);
const nastyQueryKey = fc.oneof(
  fc.constantFrom('MetricData.member.0.Value', 'MetricData.member.-1.Value', 'MetricData.member.99999999999.Value', 'MetricData.member.1e3.Value', 'MetricData.member..Value', 'MetricData.member.1', 'MetricData', 'MetricData.entry.1.key', 'Attributes.entry.0.key', 'Attributes.entry.1', 'Tags.member.1000000.Key', '.', '..', '', 'a.b.c.d.e.f.g.h', 'Action', 'Version', '__proto__', 'constructor.prototype', 'MessageAttributes.entry.1.Value.BinaryValue', 'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name'),
  fc.string({ maxLength: 20 }),
);

/** Encodes fields as a form body, leaving already-raw pieces alone. */
/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, where encodeURIComponent throws). */
const pct = (s: string): string =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const form = (fields: [string, string][]): string => fields.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');

function mutatedFields(fields: [string, string][]): fc.Arbitrary<[string, string][]> {
  const op = fc.tuple(fc.nat({ max: 5 }), fc.nat(), nastyQueryValue, nastyQueryKey);
  return fc.array(op, { minLength: 1, maxLength: 4 }).map((ops) => {
    const f = fields.map(([k, v]) => [k, v] as [string, string]);
    for (const [kind, i, val, key] of ops) {
      const j = f.length === 0 ? 0 : i % f.length;
      if (kind <= 1 && f.length > 0) f[j] = [f[j][0], val];
      else if (kind === 2 && f.length > 0) f.splice(j, 1);
      else if (kind === 3 && f.length > 0) f.push([f[j][0], val]); // duplicate key
      else if (kind === 4) f.push([key, val]);
      else if (f.length > 0) f[j] = [f[j][0].replace(/\d+/, () => String(i % 3 === 0 ? 0 : i)), f[j][1]];
    }
    return f;
  });
}

/** awsQuery form requests for CloudWatch (Version=2010-08-01) and SNS (Version=2010-03-31). */
export function queryRequests(kind: 'cloudwatch' | 'sns'): fc.Arbitrary<FuzzRequest> {
  const inputs = kind === 'cloudwatch' ? CW_QUERY_INPUTS : SNS_QUERY_INPUTS;
  const version = kind === 'cloudwatch' ? '2010-08-01' : '2010-03-31';
  const service = kind === 'cloudwatch' ? 'monitoring' : 'sns';
  const ops = Object.keys(loadModel(kind).operations).filter((o) => o !== 'Subscribe');
  const make = (label: string, body: string | Buffer, ct = 'application/x-www-form-urlencoded; charset=utf-8'): FuzzRequest => ({
    label: `${kind} query ${label}`,
    protocol: 'query',
    service,
    headers: { 'content-type': ct },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  });
  const valid = (op: string, fields: [string, string][]): [string, string][] => [['Action', op], ['Version', version], ...fields];
  return fc.oneof(
    { weight: 5, arbitrary: fc.oneof(...Object.entries(inputs).map(([op, f]) => mutatedFields(f).map((m) => make(`mutated ${op}`, form(valid(op, m)))))) },
    { weight: 2, arbitrary: fc.oneof(...Object.entries(inputs).map(([op, f]) => mutatedBytes(Buffer.from(form(valid(op, f)))).map((b) => make(`bytes ${op}`, b)))) },
    { weight: 1, arbitrary: randomBytes.map((b) => make('random-bytes', b)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ops), fc.array(fc.tuple(nastyQueryKey, nastyQueryValue), { maxLength: 6 })).map(([op, f]) => make(`any-op ${op}`, form(valid(op, f)))) },
    {
      weight: 1,
      arbitrary: fc.tuple(pick(inputs), fc.constantFrom('', 'Version=', `Version=${version}`, 'Version=2099-01-01', 'Action=&Action=ListTopics', 'Action=ListMetrics&Action=ListTopics', '&&&', '=', 'a=b=c', '%', '%2', '%%', '+', 'Action'))
        .map(([[op, f], raw]) => make(`raw ${op}`, `${raw}&${form(valid(op, f))}&${raw}`)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(pick(inputs), fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=latin1', 'application/x-www-form-urlencodedXX', 'APPLICATION/X-WWW-FORM-URLENCODED'))
        .map(([[op, f], ct]) => make(`content-type ${op}`, form(valid(op, f)), ct)),
    },
  );
}

// ------------------------------------------------------------------------------------------------
// rpc-v2-cbor

export const CBOR_PATH = (op: string) => `/service/GraniteServiceVersion20100801/operation/${op}`;

/** CloudWatch inputs with CBOR types (timestamps as Date → tag 1). */
const cborInputs: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(CW_INPUTS).map(([op, v]) => [op, JSON.parse(JSON.stringify(v), (k, x) => (/Time(stamp)?$/.test(k) && typeof x === 'number' ? new Date(x * 1000) : x))]),
);

const cborNasty = fc.constantFrom<unknown>(
  NaN, Infinity, -Infinity, -0, 2n ** 64n, -(2n ** 64n), 2n ** 200n, new Date(NaN), new Date(8.64e15), Buffer.from([1, 2, 3]), new Uint8Array(0), undefined,
  new Map([[1, 2]]), new Map<unknown, unknown>([[{ a: 1 }, 'x']]), new Set([1]), Symbol.for('x').description, 1e308, 5e-324, 'x'.repeat(70_000),
);

/** Hand-made CBOR items that stress decoders. */
const cborHostile = fc.constantFrom(
  Buffer.from([0xbf]), // unterminated indefinite map
  Buffer.from([0xbf, 0xff]),
  Buffer.from([0x9f, 0x9f, 0x9f]),
  Buffer.from([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // bytes of length 2^64-1
  Buffer.from([0x7b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61]), // text of length 4 GiB
  Buffer.from([0x9b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]), // array of 4 G items
  Buffer.from([0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // map of 2^63 pairs
  Buffer.concat([Buffer.alloc(100_000, 0x81), Buffer.from([0x01])]), // 100k nested arrays
  Buffer.concat([Buffer.alloc(50_000, 0xa1).map((b, i) => (i % 2 === 0 ? 0xa1 : 0x61)), Buffer.from([0x01])]),
  Buffer.concat([Buffer.alloc(100_000, 0xc1), Buffer.from([0x01])]), // 100k nested tags
  Buffer.from([0xd9, 0xd9, 0xf7, 0xa0]), // self-describe tag + {}
  Buffer.from([0xc2, 0x49, 1, 2, 3, 4, 5, 6, 7, 8, 9]), // bignum
  Buffer.from([0xf9, 0x7e, 0x00]), // half NaN
  Buffer.from([0xf7]), // undefined
  Buffer.from([0xf8, 0x20]), // simple value 32
  Buffer.from([0x1c]), // reserved additional info
  Buffer.from([0xff]), // break outside indefinite
  Buffer.from([0xa1, 0xa0, 0x01]), // map key is a map
  Buffer.from([0xa2, 0x69, ...Buffer.from('Namespace'), 0x61, 0x61, 0x69, ...Buffer.from('Namespace'), 0x61, 0x62]), // duplicate keys
  Buffer.from([0x7f, 0x61, 0x61, 0x41, 0x62, 0xff]), // indefinite text with a bytes chunk
  Buffer.from([0xd8, 0x1c, 0x81, 0xd8, 0x1d, 0x00]), // shared-ref tags (value sharing)
  Buffer.from([0xa1, 0x6a, ...Buffer.from('MetricData'), 0xd8, 0x1d, 0x00]),
  Buffer.from([0xa1, 0x69, ...Buffer.from('Namespace'), 0x62, 0xc3, 0x28]), // invalid UTF-8 text
);

export function cborRequests(): fc.Arbitrary<FuzzRequest> {
  const ops = Object.keys(loadModel('cloudwatch').operations);
  const headers = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor', 'x-amzn-query-mode': 'true' };
  const make = (label: string, op: string, body: Buffer, h: Record<string, string> = headers): FuzzRequest => ({ label: `cbor ${label} ${op}`, protocol: 'cbor', service: 'monitoring', path: CBOR_PATH(op), headers: h, body });
  const encode = (v: unknown): Buffer => {
    try {
      return Buffer.from(cborEncode(v));
    } catch {
      return Buffer.from([0xa0]);
    }
  };
  const mutatedCbor = (valid: Record<string, unknown>) =>
    fc.oneof(
      { weight: 3, arbitrary: mutatedValue(valid).map(encode) },
      { weight: 2, arbitrary: fc.tuple(mutatedValue(valid), cborNasty).map(([v, n]) => encode(v && typeof v === 'object' && !Array.isArray(v) ? { ...v, [Object.keys(valid)[0]]: n } : n)) },
      { weight: 2, arbitrary: mutatedBytes(encode(valid)) },
      { weight: 1, arbitrary: fc.constant(encode(valid)) },
    );
  return fc.oneof(
    { weight: 6, arbitrary: perOperation(cborInputs, (_op, v) => mutatedCbor(v)).map(([op, b]) => make('mutated', op, b)) },
    { weight: 1, arbitrary: fc.tuple(pick(cborInputs), cborHostile).map(([[op], b]) => make('hostile', op, b)) },
    { weight: 1, arbitrary: fc.tuple(pick(cborInputs), randomBytes).map(([[op], b]) => make('random-bytes', op, b)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ops), fc.jsonValue({ maxDepth: 3 })).map(([op, v]) => make('any-op', op, encode(v))) },
    {
      weight: 1,
      arbitrary: fc.tuple(pick(cborInputs), // Malformed percent-encoding in the path ('%zz', '%E0%A4%A') (fixed) is covered by test/fuzz/regressions.test.ts.
        fc.constantFrom('Nope', '', '..', 'PutMetricData%00', 'a/b', '%41', 'Put%20MetricData'), fc.constantFrom('GraniteServiceVersion20100801', 'Logs_20140328', 'x', 'Granite%53erviceVersion20100801'))
        .map(([[op, v], badOp, svc]) => ({ ...make('odd-path', op, encode(v)), path: `/service/${svc}/operation/${badOp || op}` })),
    },
  );
}

// ------------------------------------------------------------------------------------------------
// restJson1 (X-Ray)

export const XRAY_INPUTS: Record<string, [string, Record<string, unknown>]> = {
  PutTraceSegments: ['/TraceSegments', { TraceSegmentDocuments: [JSON.stringify({ name: 'svc', id: '70de5b6f19ff9a0a', trace_id: '1-581cf771-a006649127e371903a2de979', start_time: nowS, end_time: nowS + 1 })] }],
  GetTraceSummaries: ['/TraceSummaries', { StartTime: nowS - 3600, EndTime: nowS, Sampling: false, FilterExpression: 'service("svc")' }],
  BatchGetTraces: ['/Traces', { TraceIds: ['1-581cf771-a006649127e371903a2de979'] }],
  GetServiceGraph: ['/ServiceGraph', { StartTime: nowS - 3600, EndTime: nowS }],
  PutTelemetryRecords: ['/TelemetryRecords', { TelemetryRecords: [{ Timestamp: nowS, SegmentsReceivedCount: 1 }] }],
  GetSamplingRules: ['/GetSamplingRules', {}],
  CreateGroup: ['/CreateGroup', { GroupName: 'g', FilterExpression: 'responsetime > 5' }],
  GetSamplingTargets: ['/SamplingTargets', { SamplingStatisticsDocuments: [{ RuleName: 'Default', ClientID: 'a'.repeat(24), Timestamp: nowS, RequestCount: 5, SampledCount: 1, BorrowCount: 0 }] }],
  PutResourcePolicy: ['/PutResourcePolicy', { PolicyName: 'p', PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"xray:*"}]}', PolicyRevisionId: '0' }],
  StartTraceRetrieval: ['/StartTraceRetrieval', { TraceIds: ['1-581cf771-a006649127e371903a2de979'], StartTime: nowS - 3600, EndTime: nowS }],
  ListRetrievedTraces: ['/ListRetrievedTraces', { RetrievalToken: 'abc', TraceFormat: 'OTEL' }],
};

export function restJsonRequests(): fc.Arbitrary<FuzzRequest> {
  const make = (label: string, path: string, body: Buffer, method = 'POST', ct = 'application/json'): FuzzRequest => ({
    label: `xray ${label}`,
    protocol: 'rest-json',
    service: 'xray',
    method,
    path,
    headers: { 'content-type': ct },
    body,
  });
  const entries = Object.entries(XRAY_INPUTS);
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...entries.map(([op, [path, v]]) => jsonBody(v).map((b) => make(`mutated ${op}`, path, b)))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...entries), randomBytes).map(([[op, [path]], b]) => make(`random-bytes ${op}`, path, b)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...entries), fc.constantFrom('/TraceSegments/', '/tracesegments', '/TraceSegments?x=%zz', '//TraceSegments', '/TraceSegments%00', '/Nope', '/', '/%', '/..%2F..'), fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'))
        .map(([[op, [, v]], path, method]) => make(`odd-path ${op}`, path, Buffer.from(JSON.stringify(v)), method)),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...entries), fc.constantFrom('text/plain', 'application/xml', '', 'application/x-amz-json-1.1', 'application/json; charset=utf-16')).map(([[op, [path, v]], ct]) => make(`content-type ${op}`, path, Buffer.from(JSON.stringify(v)), 'POST', ct)) },
    { weight: 3, arbitrary: syntheticsRequests() },
  );
}

// restJson1 (Synthetics): methods other than POST and names in the URI.
const CANARY_ZIP = 'UEsDBBQAAAAIAAAAIQAAAAAAAAAAAAAAAAAbAAAAbm9kZWpzL25vZGVfbW9kdWxlcy94LmpzUEsBAhQAFAAAAAgAAAAhAAAAAAAAAAAAAAAAABsAAAAAAAAAAAAAAAAAAAAAAG5vZGVqcy9ub2RlX21vZHVsZXMveC5qc1BLBQYAAAAAAQABAEkAAAA5AAAAAAA=';
export const SYNTHETICS_INPUTS: Record<string, [string, string, Record<string, unknown>]> = {
  CreateCanary: ['POST', '/canary', {
    Name: 'fuzz', Code: { ZipFile: CANARY_ZIP, Handler: 'x.handler' }, ArtifactS3Location: 's3://fuzz-bucket/p', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/r',
    Schedule: { Expression: 'rate(5 minutes)', DurationInSeconds: 0 }, RuntimeVersion: 'syn-nodejs-puppeteer-9.1', RunConfig: { TimeoutInSeconds: 60, EnvironmentVariables: { A_B: 'c' } },
  }],
  UpdateCanary: ['PATCH', '/canary/fuzz', { Schedule: { Expression: 'cron(0/5 * * * ? *)' }, VisualReference: { BaseCanaryRunId: 'nextrun', BaseScreenshots: [{ ScreenshotName: 'a.png', IgnoreCoordinates: ['1,2,3,4'] }] } }],
  DescribeCanaries: ['POST', '/canaries', { MaxResults: 5, Names: ['fuzz'] }],
  GetCanaryRuns: ['POST', '/canary/fuzz/runs', { MaxResults: 5, NextToken: 'eyJrIjoiMS94In0' }],
  DescribeCanariesLastRun: ['POST', '/canaries/last-run', { MaxResults: 5 }],
  DescribeRuntimeVersions: ['POST', '/runtime-versions', { MaxResults: 2 }],
  CreateGroup: ['POST', '/group', { Name: 'g', Tags: { a: 'b' } }],
  AssociateResource: ['PATCH', '/group/g/associate', { ResourceArn: 'arn:aws:synthetics:us-east-1:000000000000:canary:fuzz' }],
  TagResource: ['POST', '/tags/arn%3Aaws%3Asynthetics%3Aus-east-1%3A000000000000%3Acanary%3Afuzz', { Tags: { a: 'b' } }],
};

function syntheticsRequests(): fc.Arbitrary<FuzzRequest> {
  const entries = Object.entries(SYNTHETICS_INPUTS);
  const make = (label: string, method: string, path: string, body: Buffer): FuzzRequest => ({
    label: `synthetics ${label}`, protocol: 'rest-json', service: 'synthetics', method, path, headers: { 'content-type': 'application/json' }, body,
  });
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...entries.map(([op, [method, path, v]]) => jsonBody(v).map((b) => make(`mutated ${op}`, method, path, b)))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...entries), randomBytes).map(([[op, [method, path]], b]) => make(`random-bytes ${op}`, method, path, b)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...entries), fc.constantFrom('/canary/%zz', '/canary/' + 'a'.repeat(300), '/canary/UPPER/runs', '/canary//runs', '/tags/not-an-arn', '/group/%00/associate', '/canaries/'))
        .map(([[op, [method, , v]], path]) => make(`odd-path ${op}`, method, path, Buffer.from(JSON.stringify(v)))),
    },
  );
}
