/** The X-Ray filter-expression language: parse once, evaluate per trace. */
export type { FilterNode, NodeSelector, Scope } from './ast.ts';
export { FilterExpressionError } from './errors.ts';
export { matchesFilter, type EvaluationContext } from './evaluate.ts';
export type { EdgeFacts, NodeIdentity, RootCauseFacts, SegmentFacts, TraceFacts } from './facts.ts';
export { parseFilterExpression } from './parse.ts';
