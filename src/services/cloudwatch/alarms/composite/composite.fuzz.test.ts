/**
 * Property/fuzz tests of composite alarm rules: parseAlarmRule either succeeds or throws
 * AlarmRuleError — never a TypeError, RangeError (stack overflow) or anything else — and
 * evaluateAlarmRule/referencedAlarms never throw on a parsed rule. OSPREY_LONG=1 runs 10× the cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAlarmRule, referencedAlarms, evaluateAlarmRule, AlarmRuleError } from './index.ts';
import { anyString, expectOnly, fcParams, mutatedText, nested, tokenSoup } from '../../../../../test/fuzz/support.ts';

const isRuleError = (e: unknown): boolean => e instanceof AlarmRuleError;
const never = (): boolean => false;
const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA', undefined] as const;

const TOKENS = [
  'ALARM', 'OK', 'INSUFFICIENT_DATA', 'AT_LEAST', 'TRUE', 'FALSE', 'AND', 'OR', 'NOT', 'and', 'alarm', '(', ')', ',', '"', "'", '\\"', '%',
  'ALARM(a)', 'OK("b c")', 'ALARM(arn:aws:cloudwatch:us-east-1:000000000000:alarm:x)', 'AT_LEAST(2, ALARM, (a, b, c))', 'AT_LEAST(50%, NOT OK, (a))',
  '"50%"', '0', '1', '-1', '101%', '999999999999999999', 'a', 'b', '"a b"', '"a\\"b"',
];
const validRule: fc.Arbitrary<string> = fc.letrec<{ r: string }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA'), fc.constantFrom('a', 'b', '"c d"', 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:e')).map(([s, n]) => `${s}(${n})`),
    fc.constantFrom('TRUE', 'FALSE', 'AT_LEAST(1, ALARM, (a, b))', 'AT_LEAST(50%, NOT OK, (a, b))'),
    tie('r').map((r) => `NOT (${r})`),
    fc.tuple(tie('r'), fc.constantFrom('AND', 'OR'), tie('r')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
  ),
})).r;

function exercise(text: string, states: Record<string, (typeof STATES)[number]>): void {
  const parsed = expectOnly(text, () => parseAlarmRule(text), isRuleError, 'parseAlarmRule');
  if (!parsed.ok) return;
  expectOnly(text, () => referencedAlarms(parsed.value), never, 'referencedAlarms');
  const r = expectOnly(text, () => evaluateAlarmRule(parsed.value, (n) => states[n]), never, 'evaluateAlarmRule');
  if (r.ok) assert.equal(typeof r.value, 'boolean');
}

const statesArb = fc.dictionary(fc.constantFrom('a', 'b', 'c d', 'e'), fc.constantFrom(...STATES));

test('random strings: only AlarmRuleError', () => {
  fc.assert(fc.property(anyString(300), statesArb, exercise), fcParams(1000));
});

test('grammar-aware token soup: only AlarmRuleError', () => {
  fc.assert(fc.property(tokenSoup(TOKENS, 30), statesArb, exercise), fcParams(3000));
});

test('mutated valid rules: only AlarmRuleError', () => {
  fc.assert(fc.property(mutatedText(validRule), statesArb, exercise), fcParams(2000));
});

test('round trip: generated valid rules parse and evaluate to a boolean', () => {
  fc.assert(
    fc.property(validRule, statesArb, (t, s) => {
      assert.ok(expectOnly(t, () => parseAlarmRule(t), never, 'parseAlarmRule(valid)').ok);
      exercise(t, s);
    }),
    fcParams(500),
  );
});

test('deep nesting and long rules (up to the 10240-character limit): AlarmRuleError, not a stack overflow', () => {
  const inputs = [
    nested('(', ')', 'ALARM(a)', 3000), // past the parser's depth limit: an AlarmRuleError, not a stack overflow
    nested('NOT ', '', 'ALARM(a)', 2500),
    nested('NOT (', ')', 'ALARM(a)', 2000),
    Array.from({ length: 1000 }, () => 'ALARM(a)').join(' AND '),
    `AT_LEAST(1, ALARM, (${Array.from({ length: 1500 }, (_, i) => `a${i}`).join(',')}))`,
    `ALARM(${'x'.repeat(10_000)})`,
    `ALARM("${'\\'.repeat(10_000)}")`,
    '('.repeat(10_240),
    'x'.repeat(10_241),
  ];
  for (const t of inputs) exercise(t.slice(0, 10_240), {});
});
