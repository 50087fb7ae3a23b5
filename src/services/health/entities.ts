/**
 * DescribeAffectedEntities and DescribeEntityAggregates: each incident has one affected entity, the
 * component (entityValue), IMPAIRED while the incident is open and UNIMPAIRED once it closed.
 */
import type { AffectedEntity, EntityAggregate } from '@aws-sdk/client-health';
import type { In, Out } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { visibleIncidents, type HealthDeps } from './deps.ts';
import { entityStatusOf, matchesEntityFilter } from './filter.ts';
import type { HealthOperations } from './operations.ts';
import { page } from './paging.ts';
import type { Incident } from './repo.ts';

type Ops = HealthOperations;

const DEFAULT_PAGE = 100;

const toEntity = (i: Incident, account: string): AffectedEntity => ({
  eventArn: i.arn, entityValue: i.entity, awsAccountId: account, lastUpdatedTime: new Date(i.lastUpdated), statusCode: entityStatusOf(i), tags: {},
});

export async function describeAffectedEntities(deps: HealthDeps, ctx: Ctx, input: In<Ops, 'DescribeAffectedEntities'>): Promise<Out<Ops, 'DescribeAffectedEntities'>> {
  const filter = input.filter ?? { eventArns: [] };
  const matching = (await visibleIncidents(deps, ctx)).filter((i) => matchesEntityFilter(i, filter));
  const { items, nextToken } = page(matching, (i) => i.arn, input.maxResults ?? DEFAULT_PAGE, input.nextToken);
  return { entities: items.map((i) => toEntity(i, ctx.account)), ...(nextToken ? { nextToken } : {}) };
}

export async function describeEntityAggregates(deps: HealthDeps, ctx: Ctx, input: In<Ops, 'DescribeEntityAggregates'>): Promise<Out<Ops, 'DescribeEntityAggregates'>> {
  const wanted = input.eventArns;
  const entityAggregates: EntityAggregate[] = (await visibleIncidents(deps, ctx))
    .filter((i) => wanted === undefined || wanted.includes(i.arn))
    .map((i) => ({ eventArn: i.arn, count: 1, statuses: { [entityStatusOf(i)]: 1 } }));
  return { entityAggregates };
}
