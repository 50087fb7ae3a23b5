import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from './errors.ts';
import { decodeRestJsonInput, encodeRestJsonOutput, restJsonErrorBody, type RestJsonRequest } from './rest-json-codec.ts';
import { loadModel } from './models/index.ts';
import type { OperationModel, ServiceModel } from './models/types.ts';
import { validationMessage, type Violation } from './validate.ts';

/** Every binding restJson has, on one input and one output shape. */
const model: ServiceModel = {
  metadata: { apiVersion: 'x', endpointPrefix: 'x', protocol: 'rest-json', serviceId: 'x' },
  operations: {},
  shapes: {
    Str: { type: 'string' },
    Int: { type: 'integer' },
    Bool: { type: 'boolean' },
    Ts: { type: 'timestamp' },
    Blob: { type: 'blob' },
    Strs: { type: 'list', member: { shape: 'Str' } },
    Ints: { type: 'list', member: { shape: 'Int' } },
    StrMap: { type: 'map', key: { shape: 'Str' }, value: { shape: 'Str' } },
    MultiMap: { type: 'map', key: { shape: 'Str' }, value: { shape: 'Strs' } },
    Inner: { type: 'structure', members: { A: { shape: 'Str' }, When: { shape: 'Ts' } } },
    In: {
      type: 'structure',
      members: {
        Id: { shape: 'Int', location: 'uri', locationName: 'id' },
        Key: { shape: 'Str', location: 'uri', locationName: 'Key' },
        Since: { shape: 'Ts', location: 'querystring', locationName: 'since' },
        Flag: { shape: 'Bool', location: 'querystring', locationName: 'flag' },
        Tags: { shape: 'Strs', location: 'querystring', locationName: 'tag' },
        Nums: { shape: 'Ints', location: 'querystring', locationName: 'n' },
        Extra: { shape: 'MultiMap', location: 'querystring' },
        Modified: { shape: 'Ts', location: 'header', locationName: 'If-Modified-Since' },
        Count: { shape: 'Int', location: 'header', locationName: 'X-Count' },
        Names: { shape: 'Strs', location: 'header', locationName: 'X-Names' },
        Policy: { shape: 'Str', location: 'header', locationName: 'X-Policy', jsonvalue: true },
        Meta: { shape: 'StrMap', location: 'headers', locationName: 'x-amz-meta-' },
        Body: { shape: 'Inner' },
        Note: { shape: 'Str', locationName: 'note' },
      },
    },
    BlobIn: { type: 'structure', members: { Id: { shape: 'Str', location: 'uri', locationName: 'id' }, Data: { shape: 'Blob' } }, payload: 'Data' },
    Out: {
      type: 'structure',
      members: {
        Status: { shape: 'Int', location: 'statusCode' },
        ETag: { shape: 'Str', location: 'header', locationName: 'ETag' },
        Modified: { shape: 'Ts', location: 'header', locationName: 'Last-Modified' },
        Meta: { shape: 'StrMap', location: 'headers', locationName: 'x-amz-meta-' },
        Note: { shape: 'Str', locationName: 'note' },
        When: { shape: 'Ts' },
      },
    },
    BlobOut: { type: 'structure', members: { Type: { shape: 'Str', location: 'header', locationName: 'Content-Type' }, Data: { shape: 'Blob' } }, payload: 'Data' },
    StructOut: { type: 'structure', members: { Doc: { shape: 'Inner' } }, payload: 'Doc' },
  },
};

const invalid = (v: Violation[]) => new ServiceError('ValidationException', validationMessage(v));
const req = (over: Partial<RestJsonRequest>): RestJsonRequest => ({ labels: {}, rawQuery: '', headers: {}, body: Buffer.alloc(0), ...over });
const op = (output: string | undefined, responseCode?: number): OperationModel => ({
  name: 'Op', http: { method: 'GET', requestUri: '/', responseCode }, ...(output ? { output: { shape: output } } : {}),
});

test('members come from labels, query, headers, prefix headers and the JSON body, each typed', () => {
  const input = decodeRestJsonInput(model, 'In', req({
    labels: { id: '17', Key: 'a/b c' },
    rawQuery: 'since=2026-01-02T03%3A04%3A05Z&flag=true&tag=x&tag=y%20z&n=1&n=2&other=1&other=2&solo=s',
    headers: {
      'if-modified-since': 'Fri, 02 Jan 2026 03:04:05 GMT', 'x-count': '3', 'x-names': ['a, "b,c"', 'd'],
      'x-policy': Buffer.from('{"v":1}').toString('base64'), 'x-amz-meta-owner': 'me', 'x-amz-meta-team': 'obs',
    },
    body: Buffer.from(JSON.stringify({ Body: { A: 'x', When: 1767323045 }, note: 'n' })),
  }), invalid);
  const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.deepEqual(input, {
    Id: 17, Key: 'a/b c', Since: when, Flag: true, Tags: ['x', 'y z'], Nums: [1, 2],
    Extra: { other: ['1', '2'], solo: ['s'] },
    Modified: when, Count: 3, Names: ['a', 'b,c', 'd'], Policy: '{"v":1}', Meta: { owner: 'me', team: 'obs' },
    Body: { A: 'x', When: when }, Note: 'n',
  });
});

test('absent bindings are absent members; template query keys never reach a query map', () => {
  assert.deepEqual(decodeRestJsonInput(model, 'In', req({ rawQuery: 'tagging', fixedQueryKeys: ['tagging'] }), invalid), {});
});

test('label, query and header text of the wrong type is the service\'s validation error, naming every member', () => {
  assert.throws(
    () => decodeRestJsonInput(model, 'In', req({ labels: { id: 'abc' }, rawQuery: 'flag=maybe&n=1&n=x', headers: { 'x-count': '1.5' } }), invalid),
    (e: ServiceError) => e.code === 'ValidationException' && /4 validation errors/.test(e.message) && /'id'/.test(e.message) && /'nums'/.test(e.message),
  );
});

test('a blob payload is the raw body; a malformed JSON body is a SerializationException', () => {
  const bytes = Buffer.from([0, 1, 2, 255]);
  assert.deepEqual(decodeRestJsonInput(model, 'BlobIn', req({ labels: { id: 'k' }, body: bytes }), invalid), { Id: 'k', Data: bytes });
  assert.throws(() => decodeRestJsonInput(model, 'In', req({ body: Buffer.from('{nope') }), invalid), /SerializationException|not valid JSON/);
});

test('output: statusCode, headers and prefix headers leave the body; the rest is JSON', () => {
  const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  const res = encodeRestJsonOutput(model, op('Out'), { Status: 206, ETag: '"abc"', Modified: when, Meta: { owner: 'me' }, Note: 'n', When: when });
  assert.equal(res.status, 206);
  assert.deepEqual(res.headers, { ETag: '"abc"', 'Last-Modified': 'Fri, 02 Jan 2026 03:04:05 GMT', 'x-amz-meta-owner': 'me', 'Content-Type': 'application/json' });
  assert.deepEqual(JSON.parse(String(res.body)), { note: 'n', When: 1767323045 });
});

test('output: the model\'s responseCode; 204 has no body; no output shape is {}', () => {
  assert.equal(encodeRestJsonOutput(model, op('Out', 201), {}).status, 201);
  const none = encodeRestJsonOutput(model, op(undefined, 204), undefined);
  assert.deepEqual([none.status, none.body], [204, '']);
  assert.deepEqual([encodeRestJsonOutput(model, op(undefined), undefined).body], ['{}']);
});

test('output payloads: a blob is the raw body with its content type; a structure is its JSON', () => {
  const blob = encodeRestJsonOutput(model, op('BlobOut'), { Data: Buffer.from('zip!') });
  assert.deepEqual([blob.body, blob.headers['Content-Type']], [Buffer.from('zip!'), 'application/octet-stream']);
  const typed = encodeRestJsonOutput(model, op('BlobOut'), { Type: 'application/zip', Data: Buffer.from('zip!') });
  assert.deepEqual(typed.headers, { 'Content-Type': 'application/zip' });
  const doc = encodeRestJsonOutput(model, op('StructOut'), { Doc: { A: 'x' } });
  assert.deepEqual(JSON.parse(String(doc.body)), { A: 'x' });
  assert.throws(() => encodeRestJsonOutput(model, op('Out'), { Meta: { 'bad key': 'v' } }), TypeError);
});

test('error bodies: __type and message always; Message and Code where the error shape has them', () => {
  const schemas = loadModel('schemas');
  assert.deepEqual(restJsonErrorBody(schemas, 'NotFoundException', 'ns#NotFoundException', 'gone', undefined), {
    __type: 'ns#NotFoundException', message: 'gone', Message: 'gone', Code: 'NotFoundException',
  });
  assert.deepEqual(restJsonErrorBody(undefined, undefined, 'InternalFailure', 'x', { extra: 1 }), { __type: 'InternalFailure', message: 'x', extra: 1 });
});
