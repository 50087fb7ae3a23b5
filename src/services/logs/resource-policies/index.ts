import { deleteResourcePolicy, describeResourcePolicies, putResourcePolicy, type ResourcePolicyDeps } from './handlers.ts';
import { resourcePoliciesAllow, type ServiceWriteRequest } from './evaluate.ts';
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';
import { arn } from '../../../lib/arn.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';

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
 * Whether a service principal may write to a log group: the account-level policies of the group's
 * account and region plus the group's own policy decide (authorizeServiceWrite applies it).
 */
export async function serviceMayWriteToLogGroup(
  deps: Pick<ResourcePolicyDeps, 'policies'>,
  scope: { account: string; region: string; logGroup: string },
  req: ServiceWriteRequest,
): Promise<boolean> {
  const policies = await deps.policies.forLogGroup(scope.account, scope.region, scope.logGroup);
  return resourcePoliciesAllow(policies.map((p) => p.document), req);
}

/**
 * Writes an AWS service makes on a resource's behalf (an EventBridge rule's log group target, its
 * dead-letter log group) — internal calls whose ctx carries `invokedBy` — need a resource policy
 * that lets that service principal write, as on AWS. Direct callers are not affected.
 */
export async function authorizeServiceWrite(
  policies: ResourcePolicyDeps['policies'] | undefined,
  ctx: Ctx,
  logGroupName: string | undefined,
  action: 'logs:CreateLogStream' | 'logs:PutLogEvents',
  logStreamName: string | undefined,
): Promise<void> {
  const by = ctx.invokedBy;
  if (!by || logGroupName === undefined) return;
  const logGroupArn = arn('logs', ctx, `log-group:${logGroupName}`);
  const allowed = policies !== undefined && (await serviceMayWriteToLogGroup({ policies }, { account: ctx.account, region: ctx.region, logGroup: logGroupName }, {
    service: by.service, action, logGroupArn, logStreamName, sourceArn: by.sourceArn, sourceAccount: by.sourceAccount,
  }));
  if (!allowed) {
    throw new ServiceError('AccessDeniedException',
      `${by.service} is not authorized to perform: ${action} on resource: ${logGroupArn} because no resource-based policy allows the ${action} action`);
  }
}
