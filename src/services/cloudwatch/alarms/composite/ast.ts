/** The typed tree of a composite alarm's AlarmRule. References keep the spelling the user wrote. */
import type { AlarmState } from '../evaluation/types.ts';

export type RuleExpr =
  | { kind: 'constant'; value: boolean }
  /** ALARM(x), OK(x), INSUFFICIENT_DATA(x): true when alarm x is in `state`. */
  | { kind: 'state'; state: AlarmState; alarm: string }
  | { kind: 'not'; operand: RuleExpr }
  | { kind: 'and' | 'or'; left: RuleExpr; right: RuleExpr }
  /** AT_LEAST(M, [NOT] STATE, (a1, …, aN)). */
  | { kind: 'atLeast'; threshold: AtLeastThreshold; state: AlarmState; negated: boolean; alarms: string[] };

export type AtLeastThreshold = { count: number } | { percent: number };

export const STATE_FUNCTIONS: ReadonlySet<string> = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA']);
