/** PutEventSelectors / GetEventSelectors, PutInsightSelectors / GetInsightSelectors. */
import type { EventSelector } from '@aws-sdk/client-cloudtrail';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { findTrail } from './names.ts';
import type { Trail } from './types.ts';
import { checkAdvancedEventSelectors, checkEventSelectors } from './validate-selectors.ts';

type Deps = Pick<CloudTrailDeps, 'trails'>;

/** What GetEventSelectors shows for a trail that never had selectors put: all management events. */
const DEFAULT_SELECTORS: EventSelector[] = [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];

/** Basic selectors with AWS's defaults filled in, as GetEventSelectors returns them. */
const withDefaults = (s: EventSelector): EventSelector => ({
  ReadWriteType: s.ReadWriteType ?? 'All',
  IncludeManagementEvents: s.IncludeManagementEvents ?? true,
  DataResources: s.DataResources ?? [],
  ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
});

export async function putEventSelectors(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'PutEventSelectors'>): Promise<CallOutput<'cloudtrail', 'PutEventSelectors'>> {
  const t = findTrail(deps.trails, ctx, input.TrailName, { home: true });
  const basic = input.EventSelectors;
  const advanced = input.AdvancedEventSelectors;
  if (basic !== undefined && advanced !== undefined) {
    throw new ServiceError('InvalidEventSelectorsException', 'You can use EventSelectors or AdvancedEventSelectors in a PutEventSelectors request, but not both.');
  }
  if (basic === undefined && advanced === undefined) {
    throw new ServiceError('InvalidEventSelectorsException', 'Specify either EventSelectors or AdvancedEventSelectors.');
  }
  let next: Trail;
  if (basic !== undefined) {
    checkEventSelectors(basic);
    next = { ...t, eventSelectors: basic.map(withDefaults), advancedEventSelectors: undefined };
  } else {
    checkAdvancedEventSelectors(advanced!);
    next = { ...t, eventSelectors: undefined, advancedEventSelectors: advanced };
  }
  await deps.trails.save(next);
  return next.advancedEventSelectors ? { TrailARN: t.arn, AdvancedEventSelectors: next.advancedEventSelectors } : { TrailARN: t.arn, EventSelectors: next.eventSelectors };
}

export function getEventSelectors(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'GetEventSelectors'>): CallOutput<'cloudtrail', 'GetEventSelectors'> {
  const t = findTrail(deps.trails, ctx, input.TrailName);
  if (t.advancedEventSelectors) return { TrailARN: t.arn, AdvancedEventSelectors: t.advancedEventSelectors };
  return { TrailARN: t.arn, EventSelectors: t.eventSelectors ?? DEFAULT_SELECTORS };
}

export async function putInsightSelectors(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'PutInsightSelectors'>): Promise<CallOutput<'cloudtrail', 'PutInsightSelectors'>> {
  if (input.TrailName === undefined && input.EventDataStore !== undefined) {
    throw new ServiceError('InvalidParameterException', 'Osprey serves Insights for trails only: specify TrailName, not EventDataStore.');
  }
  if (input.EventDataStore !== undefined || input.InsightsDestination !== undefined) {
    throw new ServiceError('InvalidParameterCombinationException', 'EventDataStore and InsightsDestination cannot be used with TrailName.');
  }
  const t = findTrail(deps.trails, ctx, input.TrailName, { home: true });
  const selectors = input.InsightSelectors ?? [];
  const types = selectors.map((s) => s.InsightType);
  if (types.some((x) => x === undefined) || new Set(types).size !== types.length) {
    throw new ServiceError('InvalidInsightSelectorsException', 'Each InsightSelector must name an InsightType (ApiCallRateInsight or ApiErrorRateInsight) once.');
  }
  await deps.trails.save({ ...t, insightSelectors: selectors });
  return { TrailARN: t.arn, InsightSelectors: selectors };
}

export function getInsightSelectors(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'GetInsightSelectors'>): CallOutput<'cloudtrail', 'GetInsightSelectors'> {
  if (input.TrailName === undefined) {
    throw new ServiceError('InvalidParameterException', 'Osprey serves Insights for trails only: specify TrailName.');
  }
  const t = findTrail(deps.trails, ctx, input.TrailName);
  if (t.insightSelectors.length === 0) throw new ServiceError('InsightNotEnabledException', `Trail ${t.name} does not have Insights enabled.`);
  return { TrailARN: t.arn, InsightSelectors: t.insightSelectors };
}
