import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlarmState } from '../evaluation/types.ts';
import { evaluateAlarmRule } from './evaluate.ts';
import { parseAlarmRule } from './parse.ts';
import { compositeReasonData, describeRuleForReason, longUtc, ruleUpdatedReason } from './reason.ts';

const STATES: (AlarmState | undefined)[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA', undefined];
const run = (rule: string, states: Record<string, AlarmState | undefined>) => evaluateAlarmRule(parseAlarmRule(rule), (n) => states[n]);

describe('state functions', () => {
  for (const fn of ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const) {
    for (const s of STATES) {
      test(`${fn}(a) with a in ${s ?? 'no state (unknown alarm)'} is ${s === fn}`, () => assert.equal(run(`${fn}(a)`, { a: s }), s === fn));
    }
  }
});

describe('truth tables', () => {
  const pairs: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];
  const st = (b: boolean): AlarmState => (b ? 'ALARM' : 'OK');
  for (const [a, b] of pairs) {
    test(`a=${a} b=${b}`, () => {
      const s = { a: st(a), b: st(b) };
      assert.equal(run('ALARM(a) AND ALARM(b)', s), a && b);
      assert.equal(run('ALARM(a) OR ALARM(b)', s), a || b);
      assert.equal(run('NOT ALARM(a)', s), !a);
      assert.equal(run('ALARM(a) AND NOT ALARM(b)', s), a && !b);
      assert.equal(run('NOT (ALARM(a) OR ALARM(b))', s), !(a || b));
      assert.equal(run('ALARM(a) OR ALARM(b) AND FALSE', s), a);
    });
  }
  test('TRUE and FALSE', () => {
    assert.equal(run('TRUE', {}), true);
    assert.equal(run('FALSE', {}), false);
    assert.equal(run('NOT FALSE AND TRUE', {}), true);
  });
});

describe('AT_LEAST', () => {
  const s: Record<string, AlarmState> = { a: 'ALARM', b: 'ALARM', c: 'OK', d: 'INSUFFICIENT_DATA' };
  test('counts', () => {
    assert.equal(run('AT_LEAST(2, ALARM, (a, b, c, d))', s), true);
    assert.equal(run('AT_LEAST(3, ALARM, (a, b, c, d))', s), false);
  });
  test('percentages are of the listed alarms', () => {
    assert.equal(run('AT_LEAST(50%, ALARM, (a, b, c, d))', s), true);
    assert.equal(run('AT_LEAST(51%, ALARM, (a, b, c, d))', s), false);
    assert.equal(run('AT_LEAST("25%", OK, (a, b, c, d))', s), true);
  });
  test('NOT STATE counts the alarms in any other state', () => {
    assert.equal(run('AT_LEAST(2, NOT ALARM, (a, b, c, d))', s), true);
    assert.equal(run('AT_LEAST(3, NOT ALARM, (a, b, c, d))', s), false);
  });
});

describe('reason wording', () => {
  const at = Date.UTC(2022, 6, 22, 15, 57, 45, 394);
  test('a child transition reads like AWS', () => {
    assert.equal(longUtc(Date.UTC(2022, 9, 30, 20, 47, 35)), 'Sunday 30 October, 2022 20:47:35 UTC');
    assert.equal(
      describeRuleForReason({ arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh', state: 'ALARM', timestamp: at }),
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC',
    );
  });
  test('StateReasonData lists the triggering alarms', () => {
    assert.equal(
      JSON.stringify(compositeReasonData([{ arn: 'arn:x', state: 'ALARM', timestamp: at }])),
      '{"triggeringAlarms":[{"arn":"arn:x","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}',
    );
  });
  test('a rule update', () => {
    assert.equal(ruleUpdatedReason('arn:c', 'OK'), 'arn:c was updated and its new alarm rule evaluates to OK');
  });
});
