import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleExpr } from './ast.ts';
import { AlarmRuleError } from './errors.ts';
import { MAX_RULE_LENGTH, parseAlarmRule, referencedAlarms } from './parse.ts';

/** A compact rendering of the tree, to assert structure and precedence. */
function show(e: RuleExpr): string {
  switch (e.kind) {
    case 'constant':
      return e.value ? 'TRUE' : 'FALSE';
    case 'state':
      return `${e.state}(${e.alarm})`;
    case 'not':
      return `(NOT ${show(e.operand)})`;
    case 'and':
    case 'or':
      return `(${show(e.left)} ${e.kind.toUpperCase()} ${show(e.right)})`;
    case 'atLeast':
      return `AT_LEAST(${'count' in e.threshold ? e.threshold.count : `${e.threshold.percent}%`}, ${e.negated ? 'NOT ' : ''}${e.state}, ${e.alarms.join('|')})`;
  }
}

const rejects = (text: string, pattern: RegExp) =>
  assert.throws(() => parseAlarmRule(text), (e: unknown) => e instanceof AlarmRuleError && pattern.test(e.message));

describe('the PutCompositeAlarm examples parse', () => {
  const examples: [string, string][] = [
    ['ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)', '(ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh))'],
    ['ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)', '(ALARM(CPUUtilizationTooHigh) AND (NOT ALARM(DeploymentInProgress)))'],
    [
      '(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)',
      '((ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh))',
    ],
    ['AT_LEAST(2, ALARM, (WebServer1CPU, WebServer2CPU, WebServer3CPU, WebServer4CPU))', 'AT_LEAST(2, ALARM, WebServer1CPU|WebServer2CPU|WebServer3CPU|WebServer4CPU)'],
    ['AT_LEAST(50%, OK, (DatabaseConnection1, DatabaseConnection2))', 'AT_LEAST(50%, OK, DatabaseConnection1|DatabaseConnection2)'],
    ['AT_LEAST(60%, NOT OK, ("a", "b", "c"))', 'AT_LEAST(60%, NOT OK, a|b|c)'],
    ['INSUFFICIENT_DATA("my alarm")', 'INSUFFICIENT_DATA(my alarm)'],
    ['TRUE', 'TRUE'],
    ['FALSE OR TRUE', '(FALSE OR TRUE)'],
  ];
  for (const [text, tree] of examples) test(text, () => assert.equal(show(parseAlarmRule(text)), tree));
});

describe('precedence and grouping', () => {
  test('AND binds tighter than OR', () => {
    assert.equal(show(parseAlarmRule('ALARM(a) OR ALARM(b) AND ALARM(c)')), '(ALARM(a) OR (ALARM(b) AND ALARM(c)))');
  });
  test('NOT binds tighter than AND', () => {
    assert.equal(show(parseAlarmRule('NOT ALARM(a) AND ALARM(b)')), '((NOT ALARM(a)) AND ALARM(b))');
  });
  test('NOT applies to a parenthesised group', () => {
    assert.equal(show(parseAlarmRule('NOT (ALARM(a) OR ALARM(b))')), '(NOT (ALARM(a) OR ALARM(b)))');
  });
  test('chains associate to the left', () => {
    assert.equal(show(parseAlarmRule('OK(a) OR OK(b) OR OK(c)')), '((OK(a) OR OK(b)) OR OK(c))');
  });
  test('whitespace is free, including none before a bracket', () => {
    assert.equal(show(parseAlarmRule(' ALARM ( a )AND(OK(b)) ')), '(ALARM(a) AND OK(b))');
  });
});

describe('references', () => {
  test('a bare ARN is one reference', () => {
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high';
    assert.deepEqual(referencedAlarms(parseAlarmRule(`ALARM(${arn})`)), [arn]);
  });
  test('quoted names may hold spaces, brackets, commas and escaped quotes', () => {
    assert.deepEqual(referencedAlarms(parseAlarmRule('ALARM("a (b), c") OR OK("say \\"hi\\"")')), ['a (b), c', 'say "hi"']);
  });
  test('keywords are plain names inside a function', () => {
    assert.deepEqual(referencedAlarms(parseAlarmRule('ALARM(AND) AND OK(OR)')), ['AND', 'OR']);
  });
  test('referencedAlarms lists each alarm once, in order of first use', () => {
    assert.deepEqual(referencedAlarms(parseAlarmRule('ALARM(b) OR OK(a) OR AT_LEAST(1, ALARM, (a, c, b))')), ['b', 'a', 'c']);
  });
});

describe('rejected rules', () => {
  test('an empty rule', () => rejects('', /between 1 and 10240/));
  test('a rule over 10240 characters', () => rejects(`ALARM("${'x'.repeat(MAX_RULE_LENGTH)}")`, /between 1 and 10240/));
  test('an unknown function', () => rejects('ALARMED(a)', /position 0: expected ALARM/));
  test('lower-case keywords', () => rejects('alarm(a)', /expected ALARM/));
  test('a missing closing bracket', () => rejects('ALARM(a', /expected '\)' but found the end/));
  test('a dangling operator', () => rejects('ALARM(a) AND', /position 12/));
  test('two terms without an operator', () => rejects('ALARM(a) ALARM(b)', /expected AND, OR or the end/));
  test('an empty reference', () => rejects('ALARM("")', /alarm name or ARN/));
  test('an unterminated quote', () => rejects('ALARM("a)', /Unterminated/));
  test('a bare name with a space', () => rejects('ALARM(my alarm)', /expected '\)' but found 'alarm'/));
  test('AT_LEAST with a zero count', () => rejects('AT_LEAST(0, ALARM, (a))', /at least 1/));
  test('AT_LEAST with a bad state', () => rejects('AT_LEAST(1, BROKEN, (a))', /ALARM, OK or INSUFFICIENT_DATA/));
  test('more than 100 children', () => {
    const rule = Array.from({ length: 101 }, (_, i) => `ALARM(a${i})`).join(' OR ');
    rejects(rule, /at most 100 alarms; it references 101/);
  });
  test('100 children is allowed', () => {
    const rule = Array.from({ length: 100 }, (_, i) => `ALARM(a${i})`).join(' OR ');
    assert.equal(referencedAlarms(parseAlarmRule(rule)).length, 100);
  });
  test('more than 500 elements', () => rejects(Array.from({ length: 501 }, () => 'TRUE').join(' OR '), /at most 500 elements; it has 501/));
});
