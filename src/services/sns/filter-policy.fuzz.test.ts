/**
 * Property/fuzz tests of SNS subscription filter policies (the closest thing Osprey has to an
 * EventBridge event pattern: there is no EventBridge event-pattern parser yet). parseFilterPolicy
 * either succeeds or throws InvalidFilterPolicy; matchesFilterPolicy never throws on a parsed
 * policy. OSPREY_LONG=1 runs 10× the cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFilterPolicy, matchesFilterPolicy, InvalidFilterPolicy, type FilterAttribute } from './filter-policy.ts';
import { anyString, expectOnly, fcParams, hostileJsonText, mutatedValue, nested, tokenSoup } from '../../../test/fuzz/support.ts';

const isPolicyError = (e: unknown): boolean => e instanceof InvalidFilterPolicy;
const never = (): boolean => false;

const VALID = {
  store: ['example_corp'],
  event: [{ 'anything-but': ['order_cancelled'] }],
  customer_interests: ['rugby', { prefix: 'foot' }, { suffix: 'ball' }, { 'equals-ignore-case': 'GOLF' }],
  price_usd: [{ numeric: ['>=', 100, '<', 200] }],
  email: [{ exists: true }],
  $or: [{ a: ['1'] }, { b: [{ numeric: ['=', 0] }] }],
};
const TOKENS = [
  '{', '}', '[', ']', ':', ',', '"a"', '"b"', '"$or"', '"prefix"', '"suffix"', '"anything-but"', '"numeric"', '"exists"', '"equals-ignore-case"',
  '"cidr"', '">="', '"<"', '"="', 'true', 'false', 'null', '1', '-1', '1e400', '0.5', '"x"', '[]', '{}',
];
const attrs = fc.dictionary(
  fc.constantFrom('store', 'event', 'price_usd', 'a', 'b', 'email', 'customer_interests'),
  fc.oneof(
    fc.record({ DataType: fc.constant('String'), StringValue: fc.string({ maxLength: 10 }) }),
    fc.record({ DataType: fc.constant('Number'), StringValue: fc.oneof(fc.double().map(String), fc.string({ maxLength: 5 })) }),
    fc.record({ DataType: fc.constant('String.Array'), StringValue: fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 8 })) }),
    fc.record({ DataType: fc.constantFrom('Binary', 'Nope', ''), StringValue: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }) }),
  ),
) as fc.Arbitrary<Record<string, FilterAttribute>>;
const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), anyString(100), fc.constant(JSON.stringify({ store: 'example_corp', price_usd: 150 })));

function exercise(text: string, a: Record<string, FilterAttribute>, b: string): void {
  const parsed = expectOnly(text, () => parseFilterPolicy(text), isPolicyError, 'parseFilterPolicy');
  if (!parsed.ok) return;
  for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
    const r: { ok: boolean; value?: unknown } = expectOnly(text, (): boolean => matchesFilterPolicy(parsed.value, scope, { attributes: a, body: b }), never, `matchesFilterPolicy(${scope})`);
    if (r.ok) assert.equal(typeof r.value, 'boolean');
  }
}

test('random strings and JSON token soup: only InvalidFilterPolicy', () => {
  fc.assert(fc.property(fc.oneof(anyString(200), tokenSoup(TOKENS, 30)), attrs, body, exercise), fcParams(2000));
});

test('random JSON values: only InvalidFilterPolicy', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)), attrs, body, exercise), fcParams(1500));
});

test('mutated valid policies (wrong types, huge numbers, deep nesting, hostile JSON text): only InvalidFilterPolicy', () => {
  const mutated = fc.oneof(mutatedValue(VALID).map((v) => JSON.stringify(v) ?? 'null'), hostileJsonText(VALID));
  fc.assert(fc.property(mutated, attrs, body, exercise), fcParams(2000));
});

test('round trip: the valid policy parses and matches', () => {
  exercise(JSON.stringify(VALID), { store: { DataType: 'String', StringValue: 'example_corp' } }, '{}');
  assert.ok(parseFilterPolicy(JSON.stringify(VALID)));
  for (const d of [10, 1000, 100_000]) exercise(`{"a": ${nested('[', ']', '1', d)}}`, {}, nested('{"a":', '}', '1', d));
});
