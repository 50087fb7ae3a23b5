// The data viewer's record decoding (web/src/pages/streams-decode.ts), without a browser: gzip
// (CloudWatch Logs subscription data) inflated, JSON pretty-printed, text as is, other bytes as base64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeRecord } from '../../web/src/pages/streams-decode.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('JSON data is pretty-printed', async () => {
  assert.deepEqual(await decodeRecord(utf8('{"a":1,"b":[true]}')), { kind: 'json', text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}', gzip: false });
});

test('text that only looks like JSON stays text', async () => {
  assert.deepEqual(await decodeRecord(utf8('{"a":1}\n{"a":2}\n')), { kind: 'text', text: '{"a":1}\n{"a":2}\n', gzip: false });
  assert.deepEqual(await decodeRecord(utf8('héllo wörld')), { kind: 'text', text: 'héllo wörld', gzip: false });
});

test('a CloudWatch Logs subscription record is shown decompressed', async () => {
  const payload = { messageType: 'DATA_MESSAGE', logGroup: '/app', logStream: 's', logEvents: [{ id: '1', timestamp: 1, message: 'hi' }] };
  const d = await decodeRecord(gzipSync(JSON.stringify(payload)));
  assert.equal(d.gzip, true);
  assert.equal(d.kind, 'json');
  assert.deepEqual(JSON.parse(d.text), payload);
});

test('bytes that are not UTF-8 are shown as base64, and a false gzip header does not hide them', async () => {
  assert.deepEqual(await decodeRecord(new Uint8Array([0xff, 0xfe, 0x00])), { kind: 'binary', text: '//4A', gzip: false });
  assert.deepEqual(await decodeRecord(new Uint8Array([0x1f, 0x8b, 0xff])), { kind: 'binary', text: 'H4v/', gzip: false });
  assert.deepEqual(await decodeRecord(new Uint8Array()), { kind: 'text', text: '', gzip: false });
});
