/**
 * Where trace segments go (Get/UpdateTraceSegmentDestination) and which share of them is indexed
 * as trace summaries (GetIndexingRules / UpdateIndexingRule). Osprey keeps segments in X-Ray's own
 * store and indexes every trace: the destination is `XRay` (ACTIVE) and the `Default` indexing rule
 * is 100 %. Transaction Search (destination `CloudWatchLogs`, spans in the `aws/spans` log group,
 * a sampled share indexed) is not offered, so asking for it, or for a lower indexing share, is
 * refused with InvalidRequestException rather than accepted and ignored.
 */
import type {
  GetIndexingRulesRequest, GetIndexingRulesResult, GetTraceSegmentDestinationResult, IndexingRule,
  UpdateIndexingRuleRequest, UpdateIndexingRuleResult, UpdateTraceSegmentDestinationRequest, UpdateTraceSegmentDestinationResult,
} from '@aws-sdk/client-xray';
import { ServiceError } from '../../protocol/errors.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';

const DEFAULT_RULE = 'Default';

const defaultRule = (): IndexingRule => ({ Name: DEFAULT_RULE, Rule: { Probabilistic: { DesiredSamplingPercentage: 100, ActualSamplingPercentage: 100 } } });

export function getTraceSegmentDestination(): GetTraceSegmentDestinationResult {
  return { Destination: 'XRay', Status: 'ACTIVE' };
}

export function updateTraceSegmentDestination(_deps: XrayDeps, _ctx: unknown, input: UpdateTraceSegmentDestinationRequest): UpdateTraceSegmentDestinationResult {
  const d = input.Destination ?? 'XRay';
  if (d === 'CloudWatchLogs') {
    throw invalidRequest('Osprey keeps trace segments in X-Ray storage: the CloudWatchLogs destination (Transaction Search, spans in aws/spans) is not supported. Every trace is already kept and indexed.');
  }
  if (d !== 'XRay') throw invalidRequest(`Destination must be XRay or CloudWatchLogs, not ${d}.`);
  return { Destination: 'XRay', Status: 'ACTIVE' };
}

export function getIndexingRules(_deps: XrayDeps, _ctx: unknown, input: GetIndexingRulesRequest): GetIndexingRulesResult {
  if (input.NextToken !== undefined) throw invalidRequest('The NextToken is not valid: there is one indexing rule.');
  return { IndexingRules: [defaultRule()] };
}

export function updateIndexingRule(_deps: XrayDeps, _ctx: unknown, input: UpdateIndexingRuleRequest): UpdateIndexingRuleResult {
  if (input.Name !== DEFAULT_RULE) {
    throw new ServiceError('ResourceNotFoundException', `Indexing rule not found: ${input.Name ?? ''}. The only indexing rule is ${DEFAULT_RULE}.`, {
      status: 404, fields: { ResourceName: input.Name ?? '' },
    });
  }
  const desired = input.Rule?.Probabilistic?.DesiredSamplingPercentage;
  if (desired === undefined || !(desired >= 0 && desired <= 100)) throw invalidRequest('Rule.Probabilistic.DesiredSamplingPercentage must be a number from 0 to 100.');
  if (desired !== 100) {
    throw invalidRequest('Indexing a share of traces applies to Transaction Search (segment destination CloudWatchLogs), which Osprey does not offer: every trace is indexed (100 %).');
  }
  return { IndexingRule: defaultRule() };
}
