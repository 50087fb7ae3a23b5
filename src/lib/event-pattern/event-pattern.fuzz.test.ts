/**
 * Property/fuzz tests of the event-pattern engine: compileEventPattern either succeeds or throws
 * InvalidEventPattern; a compiled pattern's matches/matchesJson never throw and always answer a
 * boolean, quickly (deep nesting, huge arrays, pathological wildcards, very long strings).
 * OSPREY_LONG=1 runs 10× the cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileEventPattern, InvalidEventPattern, PatternIndex, type CompiledPattern } from './index.ts';
import { anyString, expectOnly, fcParams, hostileJsonText, mutatedValue, nastyValue, nested, tokenSoup } from '../../../test/fuzz/support.ts';

const isPatternError = (e: unknown): boolean => e instanceof InvalidEventPattern;
const never = (): boolean => false;

const VALID = {
  source: ['aws.ec2', 'custom'],
  'detail-type': [{ prefix: 'EC2' }],
  time: [{ wildcard: '2024-*-01T*' }],
  detail: {
    state: [{ 'anything-but': { 'equals-ignore-case': ['stopped'] } }, { exists: false }],
    count: [{ numeric: ['>', 0, '<=', 5] }, 300, null, true],
    ip: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/64' }],
    'a.b': [{ suffix: { 'equals-ignore-case': '.PNG' } }, { 'anything-but': [1, 2] }],
    $or: [{ x: [{ 'anything-but': { wildcard: '*/tmp/*' } }] }, { y: { z: ['v'] } }],
  },
};
const TOKENS = [
  '{', '}', '[', ']', ':', ',', '"a"', '"b"', '"$or"', '"prefix"', '"suffix"', '"anything-but"', '"numeric"', '"exists"', '"equals-ignore-case"',
  '"cidr"', '"wildcard"', '"exactly"', '">="', '"<"', '"="', 'true', 'false', 'null', '1', '-1', '1e400', '0.5', '"x"', '"*a*b*"', '"a\\\\*"',
  '"10.0.0.0/8"', '"::/0"', '[]', '{}',
];
const eventValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  mutatedValue({ source: 'aws.ec2', 'detail-type': 'EC2 x', detail: { state: 'x', count: 3, ip: '10.0.0.5', a: { b: 'f.png' }, x: ['/tmp/a'], y: [{ z: 'v' }] } }),
  nastyValue.map((v) => ({ detail: { state: v, count: v, ip: v, a: [v, [v]], x: v } })),
);
const eventText = fc.oneof(
  eventValue.map((v) => JSON.stringify(v) ?? 'null'),
  anyString(100),
  fc.constantFrom(nested('{"detail":', '}', '1', 5000), nested('[', ']', '1', 5000), `{"a": "${'x'.repeat(100_000)}"}`, '{"n": 1e400, "m": -0.0e-999}'),
);

function exercise(text: string, event: unknown, json: string): void {
  const compiled = expectOnly(text, () => compileEventPattern(text), isPatternError, 'compileEventPattern');
  if (!compiled.ok) return;
  const p: CompiledPattern = compiled.value;
  const a = expectOnly(text, () => p.matches(event), never, 'matches');
  if (a.ok) assert.equal(typeof a.value, 'boolean');
  const b = expectOnly(`${text} ⟂ ${json.slice(0, 200)}`, () => p.matchesJson(json), never, 'matchesJson');
  if (b.ok) assert.equal(typeof b.value, 'boolean');
  const index = new PatternIndex<number>();
  index.add('r', p, 1);
  expectOnly(text, () => index.match(event), never, 'PatternIndex.match');
}

test('random strings and JSON token soup: only InvalidEventPattern', () => {
  fc.assert(fc.property(fc.oneof(anyString(200), tokenSoup(TOKENS, 30)), eventValue, eventText, exercise), fcParams(1500));
});

test('random JSON values as patterns: only InvalidEventPattern', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)), eventValue, eventText, exercise), fcParams(1000));
});

test('mutated valid patterns (wrong types, huge numbers, deep nesting, hostile JSON text): only InvalidEventPattern', () => {
  const mutated = fc.oneof(mutatedValue(VALID).map((v) => JSON.stringify(v) ?? 'null'), hostileJsonText(VALID));
  fc.assert(fc.property(mutated, eventValue, eventText, exercise), fcParams(1500));
});

test('pathological shapes answer quickly', () => {
  const big = { detail: { state: Array.from({ length: 50_000 }, (_, i) => (i % 2 ? `s${i}` : [[{ q: i }]])) } };
  const cases = [
    JSON.stringify(VALID),
    `{"a": ${nested('{"a":', '}', '["x"]', 999)}}`,
    `{"a": ${nested('{"a":', '}', '["x"]', 5000)}}`,
    nested('{"$or": [{"a": ["1"]}, ', ']}', '{"b": ["2"]}', 900),
    `{"a": [{"wildcard": "${'*a'.repeat(2000)}"}]}`,
    `{"a": [{"wildcard": "*${'ab'.repeat(1500)}*"}]}`,
    `{"a": [${Array.from({ length: 20_000 }, (_, i) => `"v${i}"`).join(',')}]}`,
    `{"a": [{"prefix": "${'p'.repeat(200_000)}"}]}`,
  ];
  for (const text of cases) exercise(text, big, JSON.stringify(big));
});

test('round trip: the valid pattern compiles and matches an event made for it', () => {
  const p = compileEventPattern(JSON.stringify(VALID));
  const event = { source: 'custom', 'detail-type': 'EC2 change', time: '2024-05-01T00:00:00Z', detail: { count: 3, ip: '10.0.0.9', a: { b: 'X.png' }, y: { z: 'v' } } };
  assert.equal(p.matches(event), true);
  assert.equal(p.matchesJson(JSON.stringify(event)), true);
  assert.deepEqual(p.keys, { source: ['aws.ec2', 'custom'] });
});
