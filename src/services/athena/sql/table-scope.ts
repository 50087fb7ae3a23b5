/**
 * The restriction every osprey table's subquery starts from: one account and Region, as literal,
 * escaped values (chDB runs bound queries one at a time, and the translator only ever wraps these
 * texts, so user SQL cannot widen the restriction).
 */
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';

export const where = (scope: { account: string; region: string }): string =>
  `account = ${stringLiteral(scope.account)} AND region = ${stringLiteral(scope.region)}`;
