/**
 * Filter expressions as the trace APIs use them: parsed once per request, with `group.name` /
 * `group.arn` resolved to the groups' own expressions. Root-cause keywords are refused: Osprey does
 * not compute root-cause analytics yet, and a filter that could never match would be silently wrong.
 */
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { filterError, invalidRequest } from './errors.ts';
import { matchesFilter, parseFilterExpression, type FilterNode, type TraceFacts } from './filter-expression/index.ts';

export type TraceFilter = (facts: TraceFacts) => boolean;

export function compileFilter(deps: XrayDeps, ctx: Ctx, expression: string | undefined): TraceFilter | undefined {
  if (expression === undefined || expression.trim() === '') return undefined;
  const node = parse(expression);
  refuseRootCause(node);
  const groups = new Map<string, FilterNode | undefined>();
  const group = (by: 'name' | 'arn', value: string): FilterNode | undefined => {
    const key = `${by}:${value}`;
    if (!groups.has(key)) {
      const g = by === 'name' ? deps.repo.group(ctx, value) : deps.repo.groups(ctx).find((x) => x.arn === value);
      groups.set(key, g?.filterExpression ? parse(g.filterExpression) : undefined);
    }
    return groups.get(key);
  };
  return (facts) => matchesFilter(node, facts, { group });
}

function parse(expression: string): FilterNode {
  try {
    return parseFilterExpression(expression);
  } catch (e) {
    return filterError(e);
  }
}

function refuseRootCause(node: FilterNode): void {
  switch (node.kind) {
    case 'rootcause':
      throw invalidRequest('Invalid filter expression: rootcause.* filters are not supported by Osprey yet (root-cause analytics are not computed).');
    case 'and': case 'or': refuseRootCause(node.left); refuseRootCause(node.right); return;
    case 'not': refuseRootCause(node.operand); return;
    case 'service': case 'edge': if (node.filter) refuseRootCause(node.filter); return;
    default: return;
  }
}
