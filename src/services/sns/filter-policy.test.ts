import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidFilterPolicy, matchesFilterPolicy, parseFilterPolicy, type FilterAttribute } from './filter-policy.ts';

const attrs = (o: Record<string, string | number | string[]>): Record<string, FilterAttribute> =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      typeof v === 'number' ? { DataType: 'Number', StringValue: String(v) } : Array.isArray(v) ? { DataType: 'String.Array', StringValue: JSON.stringify(v) } : { DataType: 'String', StringValue: v },
    ]),
  );

const onAttributes = (policy: object, a: Record<string, string | number | string[]>) =>
  matchesFilterPolicy(parseFilterPolicy(JSON.stringify(policy)), 'MessageAttributes', { attributes: attrs(a), body: '' });

const onBody = (policy: object, body: unknown) =>
  matchesFilterPolicy(parseFilterPolicy(JSON.stringify(policy)), 'MessageBody', { attributes: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });

const cases: [string, object, Record<string, string | number | string[]>, boolean][] = [
  ['exact string', { color: ['red', 'blue'] }, { color: 'blue' }, true],
  ['exact string misses', { color: ['red'] }, { color: 'green' }, false],
  ['missing attribute', { color: ['red'] }, {}, false],
  ['every key must match', { color: ['red'], size: ['L'] }, { color: 'red', size: 'M' }, false],
  ['number equality', { n: [3] }, { n: 3.0 }, true],
  ['prefix', { host: [{ prefix: 'web-' }] }, { host: 'web-1' }, true],
  ['suffix', { host: [{ suffix: '.eu' }] }, { host: 'a.us' }, false],
  ['equals-ignore-case', { s: [{ 'equals-ignore-case': 'HIGH' }] }, { s: 'high' }, true],
  ['anything-but value', { s: [{ 'anything-but': 'low' }] }, { s: 'low' }, false],
  ['anything-but list', { s: [{ 'anything-but': ['low', 'mid'] }] }, { s: 'high' }, true],
  ['anything-but prefix', { s: [{ 'anything-but': { prefix: 'test-' } }] }, { s: 'test-1' }, false],
  ['numeric range in', { n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 5 }, true],
  ['numeric range out', { n: [{ numeric: ['>', 0, '<=', 5] }] }, { n: 6 }, false],
  ['exists true', { s: [{ exists: true }] }, { s: 'x' }, true],
  ['exists false', { s: [{ exists: false }] }, {}, true],
  ['String.Array matches any element', { tags: ['b'] }, { tags: ['a', 'b'] }, true],
  ['$or', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' }, true],
];

for (const [name, policy, a, expected] of cases) {
  test(`MessageAttributes scope: ${name}`, () => assert.equal(onAttributes(policy, a), expected));
}

test('MessageBody scope matches nested keys and never a non-JSON body', () => {
  assert.equal(onBody({ detail: { state: ['ALARM'] } }, { detail: { state: 'ALARM' } }), true);
  assert.equal(onBody({ detail: { state: ['ALARM'] } }, { detail: { state: 'OK' } }), false);
  assert.equal(onBody({ detail: { state: ['ALARM'] } }, 'plain text'), false);
  assert.equal(onBody({ v: [null] }, { v: null }), true);
});

test('malformed policies are refused with a reason', () => {
  for (const bad of ['nope', '[]', '{"a":"b"}', '{"a":[]}', '{"a":[{"cidr":"10.0.0.0/8"}]}', '{"a":[{"numeric":[">"]}]}']) {
    assert.throws(() => parseFilterPolicy(bad), InvalidFilterPolicy, bad);
  }
});

test('true, false and null are match values: they match JSON booleans and null only', () => {
  assert.equal(onBody({ on: [false] }, { on: false }), true);
  assert.equal(onBody({ on: [false] }, { on: 'false' }), false);
  assert.equal(onBody({ on: [true] }, { on: false }), false);
  assert.equal(onBody({ v: [null] }, {}), false, 'an absent key is not null');
  assert.equal(onAttributes({ on: [true] }, { on: 'true' }), false, 'a String attribute is not a boolean');
  assert.equal(onAttributes({ v: [null] }, {}), false);
  assert.equal(onAttributes({ tags: [true] }, { tags: ['a'] }), false);
});

test('limits apply when a scope is given: five keys, 150 combinations (nesting depth multiplies, $or adds up)', () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
  const reason = (policy: object, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') => {
    try {
      parseFilterPolicy(JSON.stringify(policy), scope);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof InvalidFilterPolicy);
      return e.message;
    }
  };
  assert.equal(reason({ a: values(150) }), 'ok');
  assert.equal(reason({ a: values(151) }), 'Filter policy is too complex');
  assert.equal(reason({ a: values(10), b: values(15) }), 'ok');
  assert.equal(reason({ a: values(10), b: values(16) }), 'Filter policy is too complex');
  assert.equal(reason({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }), 'Filter policy can not have more than 5 keys');
  // AWS's example: 4 values three levels deep and 3 values two levels deep: 3 x 4 x 2 x 3 = 72.
  assert.equal(reason({ a: { b: { c: values(4) } }, d: { e: values(3) } }, 'MessageBody'), 'ok');
  assert.equal(reason({ a: { b: { c: values(4) } }, d: { e: values(3) }, f: values(3) }, 'MessageBody'), 'Filter policy is too complex');
  // The AWS-validated $or case: 4 x 6 + 4 x 4 x 4 + 4 x 4 x 4 = 152.
  const or = {
    source: values(4),
    $or: [{ metricName: values(6) }, { metricType: values(4), $or: [{ metricId: [1, 2, 3, 4] }, { spaceId: [1, 2, 3, 4] }] }],
  };
  assert.equal(reason(or), 'Filter policy is too complex');
  assert.equal(reason({ ...or, source: values(3) }), 'ok');
  assert.equal(reason({ a: { b: ['c'] } }), 'Filter policy scope MessageAttributes does not support nested filter policy');
});
