/** Behaviour beyond the shared vectors: array consistency, limits, dotted paths, raw numbers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileEventPattern, InvalidEventPattern } from './index.ts';

const match = (pattern: unknown, event: unknown): boolean => compileEventPattern(JSON.stringify(pattern)).matches(event);
const reason = (text: string): string => {
  try {
    compileEventPattern(text);
  } catch (e) {
    assert.ok(e instanceof InvalidEventPattern);
    return e.message.replace('Event pattern is not valid. Reason: ', '');
  }
  return assert.fail('accepted');
};

const EMPLOYEES = { employees: [[{ firstName: 'John', ids: [1234, 1000] }, { firstName: 'Anna' }], [{ firstName: 'Peter', ids: [] }]] };

test('fields under an array must come from the same element, exists:false included', () => {
  assert.equal(match({ employees: { firstName: ['Anna'], ids: [{ exists: false }] } }, EMPLOYEES), true);
  assert.equal(match({ employees: { firstName: ['John'], ids: [{ exists: false }] } }, EMPLOYEES), false);
  assert.equal(match({ employees: { firstName: ['Peter'], ids: [{ exists: false }] } }, EMPLOYEES), true);
  assert.equal(match({ employees: { firstName: ['Anna'], ids: [1000] } }, EMPLOYEES), false);
});

test('an empty array or an object is an absent value', () => {
  assert.equal(match({ a: [{ exists: false }] }, { a: [] }), true);
  assert.equal(match({ a: [{ exists: true }] }, { a: [] }), false);
  assert.equal(match({ a: [{ exists: false }] }, { a: { b: 1 } }), true);
  assert.equal(match({ a: [{ 'anything-but': 'x' }] }, { a: { b: 1 } }), false);
});

test('anything-but tries each array element and matches null but not absence', () => {
  assert.equal(match({ a: [{ 'anything-but': 'x' }] }, { a: ['x', 'y'] }), true);
  assert.equal(match({ a: [{ 'anything-but': 'x' }] }, { a: ['x'] }), false);
  assert.equal(match({ a: [{ 'anything-but': [1, 2] }] }, { a: null }), true);
  assert.equal(match({ a: [{ 'anything-but': [1, 2] }] }, { a: '1' }), true);
  assert.equal(match({ a: [{ 'anything-but': [1, 2] }] }, {}), false);
});

test('dotted keys on either side name the same path', () => {
  assert.equal(match({ 'a.b.c': [1] }, { a: { 'b.c': 1 } }), true);
  assert.equal(match({ a: { b: { c: [1] } } }, { 'a.b': { c: 1 } }), true);
  assert.equal(match({ a: { b: [1] } }, { 'a.bc': 1 }), false);
});

test('numbers compare numerically, spellings too when read from JSON', () => {
  const p = compileEventPattern('{"n": [300], "m": [{"numeric": [">=", 1e2, "<", 1000]}]}');
  assert.equal(p.matchesJson('{"n": 3.0e2, "m": 100.0}'), true);
  assert.equal(p.matchesJson('{"n": "300", "m": 100}'), false);
  // Not representable as a double: only the exact spelling matches.
  const q = compileEventPattern('{"n": [0.10000000000000001]}');
  assert.equal(q.matchesJson('{"n": 0.10000000000000001}'), true);
  assert.equal(q.matchesJson('{"n": 0.1}'), false);
  assert.equal(p.matchesJson('not json'), false);
});

test('an IP address in an exact list matches other spellings of it; cidr covers both families', () => {
  assert.equal(match({ ip: ['2001:db8::1'] }, { ip: '2001:0DB8:0:0:0:0:0:1' }), true);
  assert.equal(match({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:ffff::1' }), true);
  assert.equal(match({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '::ffff:a00:1' }), false);
});

test('$or: alternatives, nesting, and the 1000-combination limit', () => {
  const p = { a: ['1'], $or: [{ b: ['2'] }, { c: { $or: [{ d: ['3'] }, { e: ['4'] }] } }] };
  assert.equal(match(p, { a: '1', c: { e: '4' } }), true);
  assert.equal(match(p, { a: '1', c: { f: '4' } }), false);
  const or = (prefix: string, n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ [`${prefix}${i}`]: ['v'] }));
  assert.doesNotThrow(() => compileEventPattern(JSON.stringify({ $or: or('a', 10), x: { $or: or('b', 10) }, y: { $or: or('c', 10) } })));
  assert.match(reason(JSON.stringify({ $or: or('a', 10), x: { $or: or('b', 10) }, y: { $or: or('c', 11) } })), /1000/);
  assert.equal(reason('{"$or": [{"a": ["1"]}, {"prefix": ["x"]}]}'), 'prefix is Ruler reserved fieldName which cannot be used inside $or.');
  assert.equal(reason('{"$or": {"a": ["1"]}}'), 'It must be an Array followed with $or.');
});

test('wildcard: complexity limit, escapes, and refused forms', () => {
  assert.equal(reason('{"a": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}'), 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character');
  assert.doesNotThrow(() => compileEventPattern('{"a": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}'));
  assert.equal(reason('{"a": [{"wildcard": "ab\\\\"}]}'), 'Invalid escape character at pos 3');
  assert.equal(match({ a: [{ wildcard: 'a*b*c' }] }, { a: 'abbbc' }), true);
  assert.equal(match({ a: [{ wildcard: 'a*' }] }, { a: 1 }), false);
});

test('errors come in document order, like the streaming parser AWS uses', () => {
  assert.equal(reason('{"a": 1, "b": ['), '"a" must be an object or an array');
  assert.match(reason('{"a": ["x"'), /^Unexpected end-of-input/);
  assert.equal(reason(''), 'Filter is not an object');
  assert.equal(reason('{"a": {}}'), 'Empty objects are not allowed');
  assert.equal(reason('{"a": []}'), 'Empty arrays are not allowed');
  assert.equal(reason('{"a": [{"numeric": [">", 5, "<", 1]}]}'), 'Bottom must be less than top');
  assert.equal(reason('{"a": [{"anything-but": ["a", 1]}]}'), 'Inside anything but list, either all values are number or string, mixed type is not supported');
  assert.equal(reason('{"a": [{"cidr": "10.0.0.0/32"}]}'), 'IPv4 mask bits must be < 32');
});

test('the last duplicate key wins', () => {
  const p = compileEventPattern('{"a": ["x"], "a": ["y"]}');
  assert.equal(p.matches({ a: 'y' }), true);
  assert.equal(p.matches({ a: 'x' }), false);
});

test('keys report the exact source and detail-type values every branch requires', () => {
  assert.deepEqual(compileEventPattern('{"source": ["a", "b"], "detail-type": ["t"]}').keys, { source: ['a', 'b'], detailType: ['t'] });
  assert.deepEqual(compileEventPattern('{"source": ["a", {"prefix": "b"}]}').keys, {});
  assert.deepEqual(compileEventPattern('{"$or": [{"source": ["a"]}, {"source": ["b"], "x": ["1"]}]}').keys, { source: ['a', 'b'] });
  assert.deepEqual(compileEventPattern('{"$or": [{"source": ["a"]}, {"x": ["1"]}]}').keys, {});
});
