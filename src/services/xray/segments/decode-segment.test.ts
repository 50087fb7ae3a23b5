import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_DOCUMENT_BYTES, decodeSegmentDocument } from './decode-segment.ts';

const NOW = 1795318700;
/** As aws-xray-sdk-core 3.12.0 sent it over UDP (shared/protocols.md §7). */
const SDK_SEGMENT = '{"trace_id":"1-6b026387-009cb4cd8d5efad0199ab1ba","id":"4040d3cc2bc23e67","start_time":1795318663.166,"name":"manual-svc","service":{"runtime":"node"},"annotations":{"customer":"c-1"},"subsegments":[{"id":"2e2da16e5176ac51","name":"db-call","start_time":1795318663.166,"annotations":{"table":"users"},"end_time":1795318663.167}],"end_time":1795318663.167}';
const STREAMED_SUBSEGMENT = '{"id":"f139aaaabbbbcccc","name":"a","start_time":1795318663.2,"namespace":"remote","fault":true,"end_time":1795318663.3,"type":"subsegment","parent_id":"d9ee83027d9ac97e","trace_id":"1-6b026387-009cb4cd8d5efad0199ab1ba"}';

function edit(doc: string, change: (d: Record<string, unknown>) => void): string {
  const d = JSON.parse(doc) as Record<string, unknown>;
  change(d);
  return JSON.stringify(d);
}

function errorOf(text: string): { Id?: string; ErrorCode: string; Message: string } {
  const r = decodeSegmentDocument(text, NOW);
  assert.ok(!r.ok, 'expected the document to be refused');
  return r.error;
}

describe('segment documents', () => {
  it('accepts what the X-Ray SDK sends, segment and streamed subsegment', () => {
    const seg = decodeSegmentDocument(SDK_SEGMENT, NOW);
    assert.ok(seg.ok);
    assert.deepEqual([seg.segment.traceId, seg.segment.id, seg.segment.name, seg.segment.endTime, seg.segment.subsegment],
      ['1-6b026387-009cb4cd8d5efad0199ab1ba', '4040d3cc2bc23e67', 'manual-svc', 1795318663.167, false]);
    const sub = decodeSegmentDocument(STREAMED_SUBSEGMENT, NOW);
    assert.ok(sub.ok);
    assert.equal(sub.segment.subsegment, true);
    assert.equal(sub.segment.parentId, 'd9ee83027d9ac97e');
  });

  it('accepts an in-progress segment without end_time', () => {
    const r = decodeSegmentDocument(edit(SDK_SEGMENT, (d) => { delete d.end_time; delete d.subsegments; d.in_progress = true; }), NOW);
    assert.ok(r.ok);
    assert.equal(r.segment.inProgress, true);
    assert.equal(r.segment.endTime, undefined);
  });

  it('answers AWS error codes and messages for each broken field', () => {
    const cases: Array<[(d: Record<string, unknown>) => void, string]> = [
      [(d) => { delete d.id; }, 'MissingId'],
      [(d) => { d.id = 'XYZ'; }, 'InvalidId'],
      [(d) => { delete d.trace_id; }, 'MissingTraceId'],
      [(d) => { d.trace_id = '1-abc-def'; }, 'InvalidTraceId'],
      [(d) => { d.trace_id = '1-5759e988-bd862e3fe1be46a994272793'; }, 'InvalidTraceId'],
      [(d) => { delete d.name; }, 'MissingName'],
      [(d) => { d.name = 'bad|name'; }, 'InvalidName'],
      [(d) => { d.name = 'x'.repeat(201); }, 'InvalidName'],
      [(d) => { delete d.start_time; }, 'MissingStartTime'],
      [(d) => { d.start_time = '1795318663'; }, 'InvalidStartTime'],
      [(d) => { delete d.end_time; }, 'MissingEndTime'],
      [(d) => { d.end_time = 1; }, 'InvalidEndTime'],
      [(d) => { d.subsegments = [{ id: '2e2da16e5176ac51', start_time: 1 }]; }, 'MissingName'],
      [(d) => { d.type = 'segment'; }, 'InvalidType'],
    ];
    for (const [change, code] of cases) {
      const e = errorOf(edit(SDK_SEGMENT, change));
      assert.equal(e.ErrorCode, code);
    }
    assert.deepEqual(errorOf(edit(SDK_SEGMENT, (d) => { d.trace_id = '1-5759e988-bd862e3fe1be46a994272793'; })),
      { Id: '4040d3cc2bc23e67', ErrorCode: 'InvalidTraceId', Message: 'Invalid segment. ErrorCode: InvalidTraceId' });
    assert.deepEqual(errorOf(edit(STREAMED_SUBSEGMENT, (d) => { d.name = 'a|b'; })),
      { Id: 'f139aaaabbbbcccc', ErrorCode: 'InvalidName', Message: 'Invalid subsegment. ErrorCode: InvalidName, Cause: null' });
    assert.equal(errorOf(edit(STREAMED_SUBSEGMENT, (d) => { delete d.parent_id; })).ErrorCode, 'MissingParentId');
  });

  it('names allow Unicode letters, digits, whitespace and the documented symbols', () => {
    const r = decodeSegmentDocument(edit(SDK_SEGMENT, (d) => { d.name = 'Zahlungsdienst ü_.:/%&#=+\\-@ 2'; }), NOW);
    assert.ok(r.ok);
  });

  it('refuses documents over 64 kB and text that is not a JSON object', () => {
    const big = edit(SDK_SEGMENT, (d) => { d.metadata = { pad: 'x'.repeat(MAX_DOCUMENT_BYTES) }; });
    assert.deepEqual(errorOf(big), { Id: '4040d3cc2bc23e67', ErrorCode: 'SegmentTooLarge', Message: 'Invalid segment. ErrorCode: SegmentTooLarge' });
    for (const text of ['', '[]', 'null', '{"id":"4040d3cc2bc23e67",', '42']) assert.equal(errorOf(text).ErrorCode, 'InvalidSegment');
  });

  it('never throws on arbitrary input (fuzz)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      const r = decodeSegmentDocument(text, NOW);
      assert.equal(typeof r.ok, 'boolean');
    }), { numRuns: 2000 });
  });
});
