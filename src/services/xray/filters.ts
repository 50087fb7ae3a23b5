/**
 * Filter expressions as the trace APIs use them: parsed once per request, with `group.name` /
 * `group.arn` resolved to the groups' own expressions; `rootcause.*` keywords test the root causes
 * traces/root-causes.ts works out.
 */
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { filterError } from './errors.ts';
import { matchesFilter, parseFilterExpression, type FilterNode, type TraceFacts } from './filter-expression/index.ts';

export type TraceFilter = (facts: TraceFacts) => boolean;

export function compileFilter(deps: XrayDeps, ctx: Ctx, expression: string | undefined): TraceFilter | undefined {
  if (expression === undefined || expression.trim() === '') return undefined;
  const node = parse(expression);
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

