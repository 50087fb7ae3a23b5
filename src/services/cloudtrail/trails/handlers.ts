/** Trail operations: lifecycle, reads, logging state, selectors and tags, one file per concept. */
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { describeTrails, getTrail, listTrails } from './describe.ts';
import { getEventSelectors, getInsightSelectors, putEventSelectors, putInsightSelectors } from './event-selectors.ts';
import { createTrail, deleteTrail, updateTrail } from './lifecycle.ts';
import { getTrailStatus, startLogging, stopLogging } from './status.ts';
import { addTags, listTags, removeTags } from './tags.ts';

export function trailHandlers(deps: CloudTrailDeps): ServiceHandlers<'cloudtrail'> {
  return {
    CreateTrail: (ctx, input) => createTrail(deps, ctx, input),
    UpdateTrail: (ctx, input) => updateTrail(deps, ctx, input),
    DeleteTrail: (ctx, input) => deleteTrail(deps, ctx, input),
    GetTrail: (ctx, input) => getTrail(deps, ctx, input),
    DescribeTrails: (ctx, input) => describeTrails(deps, ctx, input),
    ListTrails: (ctx, input) => listTrails(deps, ctx, input),
    GetTrailStatus: (ctx, input) => getTrailStatus(deps, ctx, input),
    StartLogging: (ctx, input) => startLogging(deps, ctx, input),
    StopLogging: (ctx, input) => stopLogging(deps, ctx, input),
    PutEventSelectors: (ctx, input) => putEventSelectors(deps, ctx, input),
    GetEventSelectors: (ctx, input) => getEventSelectors(deps, ctx, input),
    PutInsightSelectors: (ctx, input) => putInsightSelectors(deps, ctx, input),
    GetInsightSelectors: (ctx, input) => getInsightSelectors(deps, ctx, input),
    AddTags: (ctx, input) => addTags(deps, ctx, input),
    RemoveTags: (ctx, input) => removeTags(deps, ctx, input),
    ListTags: (ctx, input) => listTags(deps, ctx, input),
  };
}
