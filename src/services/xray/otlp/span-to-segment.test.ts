import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilter, parseFilterExpression } from '../filter-expression/index.ts';
import { decodeSegmentDocument } from '../segments/decode-segment.ts';
import { assembleTrace } from '../traces/assemble.ts';
import { traceFacts } from '../traces/trace-facts.ts';
import { spanToSegment, xrayTraceId } from './span-to-segment.ts';
import { SpanKind, StatusCode, type Attributes, type OtlpSpan } from '../../../protocol/otlp/types.ts';

const TRACE = '5759e988bd862e3fe1be46a994272793';
const T0 = 1_795_318_663_000_000_000n;
const ms = (n: number): bigint => T0 + BigInt(n) * 1_000_000n;

function span(id: string, parent: string, kind: number, name: string, attributes: Attributes, from: number, to: number, extra: Partial<OtlpSpan> = {}): OtlpSpan {
  return { traceId: TRACE, spanId: id, parentSpanId: parent, name, kind, startTimeUnixNano: ms(from), endTimeUnixNano: ms(to), attributes, events: [], status: { code: StatusCode.UNSET, message: '' }, ...extra };
}

const checkoutResource = { attributes: { 'service.name': 'checkout', 'service.version': '1.2.0', 'cloud.provider': 'aws', 'cloud.platform': 'aws_ec2', 'host.id': 'i-0abc', 'cloud.availability_zone': 'us-east-1a', 'cloud.account.id': '123456789012', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '2.0.0' } };
const paymentsResource = { attributes: { 'service.name': 'payments' } };

const spans = {
  server: span('aaaaaaaaaaaaaaa1', '', SpanKind.SERVER, 'POST /checkout', { 'http.request.method': 'POST', 'url.scheme': 'http', 'server.address': 'shop.local', 'server.port': 8080, 'url.path': '/checkout', 'http.response.status_code': 200, 'client.address': '10.0.0.7', 'user_agent.original': 'curl/8', 'enduser.id': 'alice', order: 'o-1', 'aws.xray.annotations': ['order'] }, 0, 350),
  internal: span('aaaaaaaaaaaaaaa2', 'aaaaaaaaaaaaaaa1', SpanKind.INTERNAL, 'price cart', { items: 3 }, 5, 20),
  toPayments: span('aaaaaaaaaaaaaaa3', 'aaaaaaaaaaaaaaa1', SpanKind.CLIENT, 'POST', { 'http.request.method': 'POST', 'url.full': 'http://payments.local/pay', 'server.address': 'payments.local', 'http.response.status_code': 503 }, 30, 250),
  dynamo: span('aaaaaaaaaaaaaaa4', 'aaaaaaaaaaaaaaa1', SpanKind.CLIENT, 'DynamoDB.PutItem', { 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'rpc.method': 'PutItem', 'aws.dynamodb.table_names': ['orders'], 'http.response.status_code': 200 }, 260, 300),
  paymentsServer: span('bbbbbbbbbbbbbbb1', 'aaaaaaaaaaaaaaa3', SpanKind.SERVER, 'POST /pay', { 'http.request.method': 'POST', 'url.full': 'http://payments.local/pay', 'http.response.status_code': 503 }, 40, 240, {
    status: { code: StatusCode.ERROR, message: 'card service down' },
    events: [{ name: 'exception', timeUnixNano: ms(200), attributes: { 'exception.type': 'Error', 'exception.message': 'card service down' } }],
  }),
};

describe('OTLP spans → X-Ray segments', () => {
  const docs = [
    spanToSegment(spans.server, checkoutResource),
    spanToSegment(spans.internal, checkoutResource),
    spanToSegment(spans.toPayments, checkoutResource),
    spanToSegment(spans.dynamo, checkoutResource),
    spanToSegment(spans.paymentsServer, paymentsResource),
  ];

  it('maps W3C trace ids and keeps span ids', () => {
    assert.equal(xrayTraceId(TRACE), '1-5759e988-bd862e3fe1be46a994272793');
    assert.deepEqual(docs.map((d) => [d.id, d.type ?? 'segment', d.parent_id]), [
      ['aaaaaaaaaaaaaaa1', 'segment', undefined], ['aaaaaaaaaaaaaaa2', 'subsegment', 'aaaaaaaaaaaaaaa1'],
      ['aaaaaaaaaaaaaaa3', 'subsegment', 'aaaaaaaaaaaaaaa1'], ['aaaaaaaaaaaaaaa4', 'subsegment', 'aaaaaaaaaaaaaaa1'],
      ['bbbbbbbbbbbbbbb1', 'segment', 'aaaaaaaaaaaaaaa3'],
    ]);
  });

  it('names segments after services and subsegments after what they call', () => {
    assert.deepEqual(docs.map((d) => [d.name, d.namespace]), [
      ['checkout', undefined], ['price cart', undefined], ['payments.local', 'remote'], ['DynamoDB', 'aws'], ['payments', undefined],
    ]);
  });

  it('fills http, aws, origin, user, annotations and metadata like the X-Ray exporter', () => {
    const server = docs[0]!;
    assert.deepEqual(server.http, { request: { method: 'POST', url: 'http://shop.local:8080/checkout', user_agent: 'curl/8', client_ip: '10.0.0.7' }, response: { status: 200 } });
    assert.equal(server.origin, 'AWS::EC2::Instance');
    assert.deepEqual(server.aws, { account_id: '123456789012', ec2: { instance_id: 'i-0abc', availability_zone: 'us-east-1a' }, xray: { sdk: 'opentelemetry for nodejs', sdk_version: '2.0.0' } });
    assert.equal(server.user, 'alice');
    assert.deepEqual(server.annotations, { order: 'o-1' });
    assert.equal((server.metadata as { default: Record<string, unknown> }).default['otel.resource.service.name'], 'checkout');
    assert.deepEqual(server.service, { version: '1.2.0' });
    assert.equal(server.start_time, 1795318663);
    assert.equal(server.end_time, 1795318663.35);
    assert.deepEqual(docs[3]!.aws, { operation: 'PutItem', table_name: 'orders', resource_names: ['orders'] });
    assert.equal(docs[1]!.origin, undefined, 'resource data stays on segments');
  });

  it('sets fault / error / throttle from the HTTP status and the span status, with exception causes', () => {
    assert.deepEqual(docs.map((d) => [d.fault, d.error, d.throttle]), [
      [false, false, false], [false, false, false], [true, false, false], [false, false, false], [true, false, false],
    ]);
    const cause = docs[4]!.cause as { exceptions: Array<Record<string, unknown>> };
    assert.deepEqual(cause.exceptions.map((e) => [e.type, e.message, e.remote]), [['Error', 'card service down', false]]);
    const throttled = spanToSegment(span('ccccccccccccccc1', '', SpanKind.SERVER, 'x', { 'http.status_code': 429 }, 0, 1), paymentsResource);
    assert.deepEqual([throttled.fault, throttled.error, throttled.throttle], [false, true, true]);
    const failed = spanToSegment(span('ccccccccccccccc2', '', SpanKind.SERVER, 'x', {}, 0, 1, { status: { code: StatusCode.ERROR, message: '' } }), paymentsResource);
    assert.deepEqual([failed.fault, failed.error], [true, false]);
  });

  it('assembles into one trace whose service map has checkout → payments and checkout → orders', () => {
    const decoded = docs.map((d) => {
      const r = decodeSegmentDocument(JSON.stringify(d), 0, { checkTraceEpoch: false });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      return r.segment;
    });
    const trace = assembleTrace(xrayTraceId(TRACE), decoded);
    assert.deepEqual(trace.inferred.map((d) => [d.name, d.origin]), [['DynamoDB', 'AWS::DynamoDB::Table']]);
    const facts = traceFacts(trace);
    for (const [expr, expected] of [
      ['service("checkout") AND responsetime > 0.2', true],
      ['edge("checkout", "payments") { fault }', true],
      ['edge(id(name: "checkout", type: "AWS::EC2::Instance"), id(name: "orders", type: "AWS::DynamoDB::Table"))', true],
      ['annotation.order = "o-1" AND user = "alice" AND instance.id = "i-0abc"', true],
      ['service("payments.local")', false],
    ] as const) {
      assert.equal(matchesFilter(parseFilterExpression(expr), facts), expected, expr);
    }
  });

  it('refuses random W3C epochs only where X-Ray ids are required', () => {
    const doc = JSON.stringify(docs[0]);
    assert.equal(decodeSegmentDocument(doc, 1_900_000_000).ok, false);
    assert.equal(decodeSegmentDocument(doc, 1_900_000_000, { checkTraceEpoch: false }).ok, true);
  });
});
