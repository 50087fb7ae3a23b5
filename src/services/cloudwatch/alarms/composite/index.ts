/** Composite alarms: the AlarmRule language (parse → evaluate) and CloudWatch's reason wording. */
export type { RuleExpr, AtLeastThreshold } from './ast.ts';
export { AlarmRuleError } from './errors.ts';
export { parseAlarmRule, referencedAlarms, MAX_CHILDREN, MAX_ELEMENTS, MAX_RULE_LENGTH } from './parse.ts';
export { evaluateAlarmRule } from './evaluate.ts';
export { compositeReasonData, describeRuleForReason, longUtc, ruleUpdatedReason, type ChildTransition } from './reason.ts';
