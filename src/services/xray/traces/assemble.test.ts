import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { matchesFilter, parseFilterExpression } from '../filter-expression/index.ts';
import { decodeSegmentDocument, type DecodedSegment } from '../segments/decode-segment.ts';
import { assembleTrace } from './assemble.ts';
import { traceFacts } from './trace-facts.ts';

interface Example { traceId: string; duration: number; sent: Array<Record<string, unknown>>; inferred: Array<Record<string, unknown>> }
const example = JSON.parse(readFileSync(new URL('./testdata/scorekeep-trace.json', import.meta.url), 'utf8')) as Example;
const NOW = 0x59602603 + 60;

function decode(doc: Record<string, unknown>): DecodedSegment {
  const r = decodeSegmentDocument(JSON.stringify(doc), NOW);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.segment;
}

describe('assembling a trace', () => {
  const trace = assembleTrace(example.traceId, [...example.sent].reverse().map(decode));

  it("infers X-Ray's segments for DynamoDB and SNS calls, and none for the Lambda call that sent its own", () => {
    const strip = (d: Record<string, unknown>): Record<string, unknown> => { const { id: _id, ...rest } = d; return rest; };
    assert.deepEqual(trace.inferred.map(strip), example.inferred.map(strip));
    assert.ok(trace.inferred.every((d) => /^[0-9a-f]{16}$/.test(d.id as string)));
    assert.deepEqual(assembleTrace(example.traceId, example.sent.map(decode)).inferred.map((d) => d.id), trace.inferred.map((d) => d.id));
  });

  it('measures the duration from the first start to the last end', () => {
    assert.equal(trace.duration, example.duration);
    assert.equal(trace.partial, false);
    assert.deepEqual(trace.segments.map((s) => s.name), ['Scorekeep', 'random-name', 'random-name']);
  });

  it('merges streamed subsegments into their parent and lets complete documents overwrite in-progress ones', () => {
    const tid = example.traceId;
    const seg = { trace_id: tid, id: 'aaaaaaaaaaaaaaaa', name: 'svc', start_time: NOW - 10, in_progress: true };
    const done = { ...seg, in_progress: undefined, end_time: NOW - 5, subsegments: [{ id: 'bbbbbbbbbbbbbbbb', name: 'inner', start_time: NOW - 9, end_time: NOW - 8 }] };
    const streamed = { type: 'subsegment', trace_id: tid, parent_id: 'bbbbbbbbbbbbbbbb', id: 'cccccccccccccccc', name: 'api.example.com', namespace: 'remote', start_time: NOW - 9, end_time: NOW - 8.5, http: { response: { status: 503 } } };
    const t = assembleTrace(tid, [decode(streamed), decode(done), decode(seg)]);
    assert.equal(t.segments.length, 1);
    assert.equal(t.segments[0]!.in_progress, undefined);
    const inner = (t.segments[0]!.subsegments as Array<Record<string, unknown>>)[0]!;
    assert.deepEqual((inner.subsegments as Array<Record<string, unknown>>).map((s) => [s.id, s.type, s.trace_id]), [['cccccccccccccccc', undefined, undefined]]);
    assert.deepEqual(t.inferred.map((d) => [d.name, d.origin, d.parent_id]), [['api.example.com', 'remote', 'cccccccccccccccc']]);
    assert.equal(t.partial, false);
    assert.equal(assembleTrace(tid, [decode(seg)]).partial, true);
    assert.equal(assembleTrace(tid, [decode(done), decode({ ...streamed, parent_id: 'dddddddddddddddd' })]).partial, true, 'a subsegment whose parent never arrived');
  });
});

describe('trace facts for filter expressions', () => {
  const facts = traceFacts(assembleTrace(example.traceId, example.sent.map(decode)));
  const cases: Array<[string, boolean]> = [
    ['service("Scorekeep") { root }', true],
    ['service("random-name") { root }', false],
    ['edge("Scorekeep", "random-name")', true],
    ['edge(id(name: "random-name", type: "AWS::Lambda"), id(name: "random-name", type: "AWS::Lambda::Function"))', true],
    ['edge("random-name", "SNS") { ok }', true],
    ['service(id(name: "scorekeep-user", type: "AWS::DynamoDB::Table")) { inferred }', true],
    ['edge("Scorekeep", "scorekeep-user")', true],
    ['annotation.UserID = "5M388M1E" AND user = "5M388M1E"', true],
    ['http.method = "POST" AND http.url ENDSWITH "/api/user" AND ok AND !partial', true],
    ['availabilityzone = "us-west-2c" AND instance.id = "i-0cd9e448944061b4a"', true],
    ['resource.arn CONTAINS ":function:random-name"', true],
    ['duration > 3 AND responsetime < 3.3', true],
    ['service() { fault }', false],
  ];
  for (const [expr, expected] of cases) {
    it(expr, () => assert.equal(matchesFilter(parseFilterExpression(expr), facts), expected));
  }
});
