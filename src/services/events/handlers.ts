/** The core EventBridge handler table: buses, rules, targets, PutEvents, TestEventPattern, tags. */
import type { ServiceHandlers } from '../../protocol/operations.ts';
import { createEventBus, deleteEventBus, describeEventBus, listEventBuses, putPermission, removePermission, updateEventBus } from './buses.ts';
import type { EventsDeps } from './deps.ts';
import type { Dispatcher } from './dispatch.ts';
import { putEvents, testEventPattern } from './put-events.ts';
import { deleteRule, describeRule, disableRule, enableRule, listRuleNamesByTarget, listRules, putRule } from './rules.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import { listTargetsByRule, putTargets, removeTargets } from './targets.ts';

export function coreHandlers(deps: EventsDeps, dispatcher: Dispatcher): ServiceHandlers<'events'> {
  return {
    CreateEventBus: (ctx, input) => createEventBus(deps, ctx, input),
    DescribeEventBus: (ctx, input) => describeEventBus(deps, ctx, input),
    ListEventBuses: (ctx, input) => listEventBuses(deps, ctx, input),
    UpdateEventBus: (ctx, input) => updateEventBus(deps, ctx, input),
    DeleteEventBus: (ctx, input) => deleteEventBus(deps, ctx, input),
    PutPermission: (ctx, input) => putPermission(deps, ctx, input),
    RemovePermission: (ctx, input) => removePermission(deps, ctx, input),
    PutRule: (ctx, input) => putRule(deps, ctx, input),
    DescribeRule: (ctx, input) => describeRule(deps, ctx, input),
    ListRules: (ctx, input) => listRules(deps, ctx, input),
    DeleteRule: (ctx, input) => deleteRule(deps, ctx, input),
    EnableRule: (ctx, input) => enableRule(deps, ctx, input),
    DisableRule: (ctx, input) => disableRule(deps, ctx, input),
    ListRuleNamesByTarget: (ctx, input) => listRuleNamesByTarget(deps, ctx, input),
    PutTargets: (ctx, input) => putTargets(deps, ctx, input),
    RemoveTargets: (ctx, input) => removeTargets(deps, ctx, input),
    ListTargetsByRule: (ctx, input) => listTargetsByRule(deps, ctx, input),
    PutEvents: (ctx, input) => putEvents(deps, dispatcher, ctx, input),
    TestEventPattern: (_ctx, input) => testEventPattern(input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
  };
}
