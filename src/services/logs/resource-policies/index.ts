import { deleteResourcePolicy, describeResourcePolicies, putResourcePolicy, type ResourcePolicyDeps } from './handlers.ts';
import { resourcePoliciesAllow, type ServiceWriteRequest } from './evaluate.ts';
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';

export type { ResourcePolicyDeps } from './handlers.ts';
export { resourcePoliciesAllow, type ServiceWriteRequest } from './evaluate.ts';

export type ResourcePolicyHandlers = ServiceHandlersFor<'logs', 'PutResourcePolicy' | 'DescribeResourcePolicies' | 'DeleteResourcePolicy'>;

export function resourcePolicyHandlers(deps: ResourcePolicyDeps): ResourcePolicyHandlers {
  return {
    PutResourcePolicy: (ctx, input) => putResourcePolicy(deps, ctx, input),
    DescribeResourcePolicies: (ctx, input) => describeResourcePolicies(deps, ctx, input),
    DeleteResourcePolicy: (ctx, input) => deleteResourcePolicy(deps, ctx, input),
  };
}

/**
 * The internal operation other services (EventBridge → log group targets, later) call before
 * writing to a log group on a service principal's behalf: the account-level policies of the
 * group's account and region plus the group's own policy decide. Nothing calls it yet, and nothing
 * pretends to enforce it.
 */
export async function serviceMayWriteToLogGroup(
  deps: Pick<ResourcePolicyDeps, 'policies'>,
  scope: { account: string; region: string; logGroup: string },
  req: ServiceWriteRequest,
): Promise<boolean> {
  const policies = await deps.policies.forLogGroup(scope.account, scope.region, scope.logGroup);
  return resourcePoliciesAllow(policies.map((p) => p.document), req);
}
