/**
 * The Systems Manager module, Parameter Store only: String, StringList and SecureString parameters
 * with versions, labels, hierarchies, tags and AWS's quotas (what the CloudWatch agent reads its
 * configuration from). Other Systems Manager operations answer 501 NotImplemented.
 */
import type { Env, ServiceModule } from '../../server/module.ts';
import { describeParameters, getParameterHistory, getParametersByPath } from './describe.ts';
import type { SsmDeps } from './deps.ts';
import { deleteParameter, deleteParameters, getParameter, getParameters } from './get-parameters.ts';
import { labelParameterVersion, unlabelParameterVersion } from './labels.ts';
import { putParameter } from './put-parameter.ts';
import { ParameterStore } from './repo.ts';
import { SSM_MIGRATIONS } from './schema.ts';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './tags.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';

export async function createSsm(env: Env): Promise<ServiceModule<'ssm'>> {
  await env.migrate('ssm', SSM_MIGRATIONS);
  const deps: SsmDeps = { repo: new ParameterStore(env.db), keys: env.keys, clock: env.clock };
  const handlers: ServiceHandlers<'ssm'> = {
    PutParameter: (ctx, input) => putParameter(deps, ctx, input),
    GetParameter: (ctx, input) => getParameter(deps, ctx, input),
    GetParameters: (ctx, input) => getParameters(deps, ctx, input),
    GetParametersByPath: (ctx, input) => getParametersByPath(deps, ctx, input),
    GetParameterHistory: (ctx, input) => getParameterHistory(deps, ctx, input),
    DescribeParameters: (ctx, input) => describeParameters(deps, ctx, input),
    DeleteParameter: (ctx, input) => deleteParameter(deps, ctx, input),
    DeleteParameters: (ctx, input) => deleteParameters(deps, ctx, input),
    LabelParameterVersion: (ctx, input) => labelParameterVersion(deps, ctx, input),
    UnlabelParameterVersion: (ctx, input) => unlabelParameterVersion(deps, ctx, input),
    AddTagsToResource: (ctx, input) => addTagsToResource(deps, ctx, input),
    RemoveTagsFromResource: (ctx, input) => removeTagsFromResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
  };
  return { name: 'ssm', handlers };
}
