/**
 * Tags on X-Ray groups and sampling rules (TagResource, UntagResource, ListTagsForResource, and the
 * Tags of CreateGroup / CreateSamplingRule): at most 50 per resource ("Maximum number of
 * user-applied tags per resource: 50"), keys starting with `aws:` reserved. Deleting the resource
 * deletes its tags.
 */
import type { ListTagsForResourceRequest, ListTagsForResourceResponse, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-xray';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { getGroups } from './groups.ts';
import { allRules } from './sampling/rules-api.ts';
import { checkTags } from './tag-checks.ts';

const notFound = (arn: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Resource not found: ${arn}. Tags apply to X-Ray groups and sampling rules of this account and Region.`, {
    status: 404, fields: { ResourceName: arn },
  });

/** The ARN of an existing group or sampling rule of the caller's account and region. */
async function existing(deps: XrayDeps, ctx: Ctx, arn: string | undefined): Promise<string> {
  if (!arn) throw invalidRequest('ResourceARN is required.');
  const known = [...((await getGroups(deps, ctx)).Groups ?? []).map((g) => g.GroupARN), ...(await allRules(deps, ctx)).map((r) => r.arn)];
  if (!known.includes(arn)) throw notFound(arn);
  return arn;
}

export async function tagResource(deps: XrayDeps, ctx: Ctx, input: TagResourceRequest): Promise<Record<string, never>> {
  const arn = await existing(deps, ctx, input.ResourceARN);
  await deps.repo.putTags(ctx, arn, await checkTags(deps, ctx, arn, input.Tags ?? []));
  return {};
}

export async function untagResource(deps: XrayDeps, ctx: Ctx, input: UntagResourceRequest): Promise<Record<string, never>> {
  const arn = await existing(deps, ctx, input.ResourceARN);
  await deps.repo.removeTags(ctx, arn, input.TagKeys ?? []);
  return {};
}

export async function listTagsForResource(deps: XrayDeps, ctx: Ctx, input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse> {
  const arn = await existing(deps, ctx, input.ResourceARN);
  // Fifty tags at most: one page, so no token is ever handed out.
  if (input.NextToken !== undefined) throw invalidRequest('The NextToken is not valid.');
  return { Tags: Object.entries(await deps.repo.tags(ctx, arn)).map(([Key, Value]) => ({ Key, Value })) };
}
