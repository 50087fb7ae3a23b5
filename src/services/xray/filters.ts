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

export async function compileFilter(deps: XrayDeps, ctx: Ctx, expression: string | undefined): Promise<TraceFilter | undefined> {
  if (expression === undefined || expression.trim() === '') return undefined;
  const node = parse(expression);
  // The scope's groups, read once (a few dozen at most) for `group.name` / `group.arn` terms: matching is synchronous.
  const stored = await deps.repo.groups(ctx);
  const groups = new Map<string, FilterNode | undefined>();
  const group = (by: 'name' | 'arn', value: string): FilterNode | undefined => {
    const key = `${by}:${value}`;
    if (!groups.has(key)) {
      const g = stored.find((x) => (by === 'name' ? x.name === value : x.arn === value));
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

