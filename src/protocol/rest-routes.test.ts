import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestRouteTable } from './rest-routes.ts';
import { loadModel } from './models/index.ts';
import type { ServiceModel } from './models/types.ts';
import { route } from './router.ts';

const q = (s = '') => new URLSearchParams(s);

/** A model with only the operations' http bindings: the route table reads nothing else. */
function fakeModel(ops: Record<string, [string, string]>): ServiceModel {
  const operations = Object.fromEntries(Object.entries(ops).map(([name, [method, requestUri]]) => [name, { name, http: { method, requestUri } }]));
  return { metadata: { apiVersion: 'x', endpointPrefix: 'x', protocol: 'rest-json', serviceId: 'x' }, operations, shapes: {} };
}

test('Schemas: literal segments win over labels at the same position', () => {
  const t = new RestRouteTable(loadModel('schemas'));
  assert.equal(t.match('GET', '/v1/registries/name/r1/schemas/search', q('keywords=x'))?.operation, 'SearchSchemas');
  const d = t.match('GET', '/v1/registries/name/r1/schemas/name/s1', q())!;
  assert.equal(d.operation, 'DescribeSchema');
  assert.deepEqual(d.labels, { registryName: 'r1', schemaName: 's1' });
  assert.equal(t.match('GET', '/v1/registries/name/r1/schemas/name/s1/export', q())?.operation, 'ExportSchema');
  assert.equal(t.match('DELETE', '/v1/registries/name/r1/schemas/name/s1', q())?.operation, 'DeleteSchema');
  assert.equal(t.match('PATCH', '/v1/registries/name/r1/schemas/name/s1', q()), undefined);
});

test('labels are percent-decoded once; an encoded slash stays inside its label', () => {
  const t = new RestRouteTable(loadModel('scheduler'));
  const m = t.match('GET', '/schedules/a%2Fb%20c%25', q('groupName=g'))!;
  assert.deepEqual([m.operation, m.labels], ['GetSchedule', { Name: 'a/b c%' }]);
  const arn = t.match('GET', '/tags/arn%3Aaws%3Ascheduler%3Aus-east-1%3A1%3Aschedule-group%2Fdefault', q())!;
  assert.deepEqual(arn.labels, { ResourceArn: 'arn:aws:scheduler:us-east-1:1:schedule-group/default' });
});

test('empty labels, extra segments and trailing slashes match nothing', () => {
  const t = new RestRouteTable(loadModel('scheduler'));
  for (const path of ['/schedules/', '/schedules/a/b', '/schedules//', '//schedules', '/Schedules/a']) {
    assert.equal(t.match('GET', path, q()), undefined, path);
  }
  assert.equal(t.match('GET', '/schedules', q())?.operation, 'ListSchedules');
});

test('malformed percent-encoding in a label is a 404 UnknownOperationException', () => {
  const t = new RestRouteTable(loadModel('scheduler'));
  assert.throws(() => t.match('GET', '/schedules/%zz', q()), (e: { code: string; status: number }) => e.code === 'UnknownOperationException' && e.status === 404);
});

test('greedy labels span segments; query literals in the requestUri are constraints', () => {
  const t = new RestRouteTable(fakeModel({
    GetObject: ['GET', '/{Bucket}/{Key+}'],
    GetObjectTagging: ['GET', '/{Bucket}/{Key+}?tagging'],
    GetObjectAcl: ['GET', '/{Bucket}/{Key+}?acl&versionId=1'],
    ListObjects: ['GET', '/{Bucket}'],
    GetBucketPolicy: ['GET', '/{Bucket}?policy'],
    GetFixed: ['GET', '/fixed/{Key+}'],
  }));
  const obj = t.match('GET', '/b/a/b%20c/d', q())!;
  assert.deepEqual([obj.operation, obj.labels], ['GetObject', { Bucket: 'b', Key: 'a/b c/d' }]);
  assert.equal(t.match('GET', '/b/k', q('tagging'))?.operation, 'GetObjectTagging');
  assert.deepEqual(t.match('GET', '/b/k', q('tagging'))?.fixedQueryKeys, ['tagging']);
  assert.equal(t.match('GET', '/b/k', q('acl&versionId=1'))?.operation, 'GetObjectAcl');
  assert.equal(t.match('GET', '/b/k', q('acl&versionId=2'))?.operation, 'GetObject');
  assert.equal(t.match('GET', '/b', q('policy'))?.operation, 'GetBucketPolicy');
  assert.equal(t.match('GET', '/b', q())?.operation, 'ListObjects');
  assert.equal(t.match('GET', '/fixed/x/y', q())?.operation, 'GetFixed');
});

test('the router picks the signing service\'s table: GET /tags/{arn} is Scheduler or Schemas by signature', () => {
  const base = { method: 'GET', path: '/tags/arn%3Ax', headers: {} };
  assert.equal(route({ ...base, signingService: 'scheduler' })?.service, 'scheduler');
  assert.equal(route({ ...base, signingService: 'schemas' })?.service, 'schemas');
  const r = route({ ...base, method: 'DELETE', rawQuery: 'tagKeys=a&tagKeys=b', signingService: 'schemas' })!;
  assert.deepEqual([r.service, r.protocol, r.operation, r.labels], ['schemas', 'rest-json', 'UntagResource', { 'resource-arn': 'arn:x' }]);
  assert.equal(route({ method: 'POST', path: '/TraceSegments', headers: {} })?.operation, 'PutTraceSegments');
  assert.throws(() => route({ ...base, path: '/nope', signingService: 'scheduler' }), /No operation matches/);
  // Unsigned GETs are the console's (SPA) URLs, whatever template they resemble.
  assert.equal(route({ method: 'GET', path: '/schedules', headers: {} }), undefined);
});
