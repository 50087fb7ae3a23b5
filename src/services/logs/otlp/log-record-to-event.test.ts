import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeLogs } from '../../../protocol/otlp/decode-logs.ts';
import { OtlpDecodeError } from '../../../protocol/otlp/values.ts';
import type { OtlpLogRecord } from '../../../protocol/otlp/types.ts';
import { logRecordToEvent } from './log-record-to-event.ts';

const record: OtlpLogRecord = {
  timeUnixNano: 1_741_900_000_123_456_789n, observedTimeUnixNano: 0n, severityNumber: 9, severityText: 'INFO',
  body: { msg: 'paid', amount: 12n, raw: new Uint8Array([1, 2]) }, attributes: { 'user.id': '12345', big: 2n ** 63n - 1n, ratio: Number.NaN },
  flags: 1, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', eventName: '',
};

describe('OTLP log record → log event', () => {
  it('the message is the record as JSON, attributes as objects, nanosecond times as strings', () => {
    const e = logRecordToEvent(record, { attributes: { 'service.name': 'pay' } }, { name: 'lib', version: '', attributes: {} }, 1);
    assert.equal(e.timestamp, 1_741_900_000_123);
    assert.deepEqual(JSON.parse(e.message), {
      resource: { attributes: { 'service.name': 'pay' } }, scope: { name: 'lib' }, timeUnixNano: '1741900000123456789', severityNumber: 9, severityText: 'INFO',
      body: { msg: 'paid', amount: 12, raw: 'AQI=' }, attributes: { 'user.id': '12345', big: '9223372036854775807', ratio: 'NaN' },
      flags: 1, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174',
    });
  });

  it('without a time: the observed time, else the time of arrival; empty members are left out', () => {
    const bare = { ...record, timeUnixNano: 0n, observedTimeUnixNano: 2_000_000n, body: 'x', attributes: {}, flags: 0, traceId: '', spanId: '', severityNumber: 0, severityText: '' };
    const e = logRecordToEvent(bare, { attributes: {} }, { name: '', version: '', attributes: {} }, 7);
    assert.deepEqual([e.timestamp, JSON.parse(e.message)], [2, { observedTimeUnixNano: '2000000', body: 'x' }]);
    assert.equal(logRecordToEvent({ ...bare, observedTimeUnixNano: 0n }, { attributes: {} }, { name: '', version: '', attributes: {} }, 7).timestamp, 7);
  });

  it('fuzzing: any JSON body either decodes into events or is refused with OtlpDecodeError', () => {
    const shaped = fc.jsonValue({ maxDepth: 5 }).map((v) => ({ resourceLogs: [{ resource: { attributes: [{ key: 'k', value: v }] }, scopeLogs: [{ scope: v, logRecords: [v, { body: v, attributes: v, traceId: v }] }] }] }));
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped), (v) => {
      try {
        for (const rl of decodeLogs(Buffer.from(JSON.stringify(v)), 'application/json')) {
          for (const s of rl.scopes) for (const r of s.records) assert.equal(typeof logRecordToEvent(r, rl.resource, s.scope, 0).message, 'string');
        }
      } catch (e) {
        assert.ok(e instanceof OtlpDecodeError, String(e));
      }
    }), { numRuns: 2000 });
  });
});
