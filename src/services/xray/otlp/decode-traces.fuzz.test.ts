import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { protobufBodies } from '../../../protocol/otlp/fuzz-bodies.ts';
import { OtlpDecodeError, decodeTraces } from '../../../protocol/otlp/decode-traces.ts';
import { spanToSegment } from './span-to-segment.ts';
import { ExportTraceServiceRequest } from '../../../protocol/otlp/proto.ts';

/** A valid request with one span: the seed the mutations start from. */
const VALID = Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject({
  resource_spans: [{
    resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
    scope_spans: [{ spans: [{
      trace_id: Buffer.alloc(16, 7), span_id: Buffer.alloc(8, 3), name: 'GET /', kind: 2, start_time_unix_nano: '1795318663000000000', end_time_unix_nano: '1795318663100000000',
      attributes: [{ key: 'http.response.status_code', value: { int_value: 200 } }, { key: 'list', value: { array_value: { values: [{ bool_value: true }] } } }],
      events: [{ name: 'exception', time_unix_nano: '1795318663050000000', attributes: [{ key: 'exception.message', value: { string_value: 'x' } }] }],
      status: { code: 2, message: 'boom' },
    }] }],
  }],
})).finish());

/** Decoding never throws anything but OtlpDecodeError; whatever decodes also maps to a segment. */
function total(body: Buffer, contentType: string): void {
  try {
    for (const rs of decodeTraces(body, contentType)) for (const s of rs.spans) JSON.stringify(spanToSegment(s, rs.resource));
  } catch (e) {
    assert.ok(e instanceof OtlpDecodeError, `${contentType} ${body.toString('hex').slice(0, 80)} threw ${String(e)}`);
  }
}

describe('OTLP trace decoding: fuzzing', () => {
  it('the seed decodes and maps', () => {
    const [rs] = decodeTraces(VALID, 'application/x-protobuf');
    assert.equal(rs!.spans[0]!.traceId, '07'.repeat(16));
    assert.equal(spanToSegment(rs!.spans[0]!, rs!.resource).fault, true);
  });
  it('random and damaged protobuf bodies fail cleanly', () => {
    fc.assert(fc.property(protobufBodies(VALID), (b) => total(b, 'application/x-protobuf')), { numRuns: 3000 });
  });
  it('a non-integer intValue is the sender\'s error', () => {
    const body = { resourceSpans: [{ resource: { attributes: [{ key: 'n', value: { intValue: '1.5e3' } }] }, scopeSpans: [] }] };
    assert.throws(() => decodeTraces(Buffer.from(JSON.stringify(body)), 'application/json'), /intValue must be a 64-bit integer/);
  });
  it('arbitrary JSON bodies fail cleanly', () => {
    const shaped = fc.jsonValue({ maxDepth: 6 }).map((v) => ({ resourceSpans: [{ resource: { attributes: v }, scopeSpans: [{ spans: [v] }] }] }));
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped, fc.string()), (v) => total(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), 'application/json')), { numRuns: 3000 });
  });
});
