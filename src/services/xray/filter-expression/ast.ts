/**
 * The syntax tree of an X-Ray filter expression (GetTraceSummaries `FilterExpression`, groups,
 * the console's trace search). Grammar and keyword semantics: "Using filter expressions", AWS X-Ray
 * Developer Guide (xray-console-filters).
 */

/** Where a sub-expression is evaluated: the whole trace, one service's segments, one edge, one root cause. */
export type Scope = 'trace' | 'service' | 'edge' | 'rootcause';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'BEGINSWITH' | 'ENDSWITH';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean };

/** `"name"` or `id(name: "…", type: "…", account.id: "…")`; an empty selector matches every node. */
export interface NodeSelector {
  name?: string;
  type?: string;
  accountId?: string;
}

export type RootCauseKind = 'fault' | 'error' | 'responsetime';
export type RootCauseLevel = 'service' | 'entity' | 'exception';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  /** A simple keyword; without `op` it is a boolean test (boolean keywords) or a "is set" test. */
  | { kind: 'keyword'; keyword: string; op?: CompareOp; value?: Literal }
  /** `annotation.key` with an optional comparison; without `op` it tests that the key is set. */
  | { kind: 'annotation'; key: string; op?: CompareOp; value?: Literal }
  | { kind: 'service'; node: NodeSelector; filter?: FilterNode }
  | { kind: 'edge'; source: NodeSelector; destination: NodeSelector; filter?: FilterNode }
  /** `group.name = "x"` / `group.arn = "arn:…"`: the group's own filter expression. */
  | { kind: 'group'; by: 'name' | 'arn'; op: '=' | '!='; value: string }
  | { kind: 'rootcause'; cause: RootCauseKind; level: RootCauseLevel; filter: FilterNode };
