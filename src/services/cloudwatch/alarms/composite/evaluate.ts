/**
 * evaluateAlarmRule: the truth of a rule given the children's states. A child the caller cannot
 * resolve (deleted since the rule was written) is in no state, so every state function on it is
 * FALSE — and NOT of it TRUE.
 */
import type { RuleExpr } from './ast.ts';
import type { AlarmState } from '../evaluation/types.ts';

export function evaluateAlarmRule(rule: RuleExpr, stateOf: (nameOrArn: string) => AlarmState | undefined): boolean {
  switch (rule.kind) {
    case 'constant':
      return rule.value;
    case 'state':
      return stateOf(rule.alarm) === rule.state;
    case 'not':
      return !evaluateAlarmRule(rule.operand, stateOf);
    case 'and':
      return evaluateAlarmRule(rule.left, stateOf) && evaluateAlarmRule(rule.right, stateOf);
    case 'or':
      return evaluateAlarmRule(rule.left, stateOf) || evaluateAlarmRule(rule.right, stateOf);
    case 'atLeast': {
      const matching = rule.alarms.filter((a) => (stateOf(a) === rule.state) !== rule.negated).length;
      // "M can be an absolute number or percentage": at least M alarms, or at least M% of them.
      return 'count' in rule.threshold
        ? matching >= rule.threshold.count
        : matching * 100 >= rule.threshold.percent * rule.alarms.length;
    }
  }
}
