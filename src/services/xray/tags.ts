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
function existing(deps: XrayDeps, ctx: Ctx, arn: string | undefined): string {
  if (!arn) throw invalidRequest('ResourceARN is required.');
  const known = [...(getGroups(deps, ctx).Groups ?? []).map((g) => g.GroupARN), ...allRules(deps, ctx).map((r) => r.arn)];
  if (!known.includes(arn)) throw notFound(arn);
  return arn;
}

export function tagResource(deps: XrayDeps, ctx: Ctx, input: TagResourceRequest): Record<string, never> {
  const arn = existing(deps, ctx, input.ResourceARN);
  deps.repo.putTags(ctx, arn, checkTags(deps, ctx, arn, input.Tags ?? []));
  return {};
}

export function untagResource(deps: XrayDeps, ctx: Ctx, input: UntagResourceRequest): Record<string, never> {
  const arn = existing(deps, ctx, input.ResourceARN);
  deps.repo.removeTags(ctx, arn, input.TagKeys ?? []);
  return {};
}

export function listTagsForResource(deps: XrayDeps, ctx: Ctx, input: ListTagsForResourceRequest): ListTagsForResourceResponse {
  const arn = existing(deps, ctx, input.ResourceARN);
  // Fifty tags at most: one page, so no token is ever handed out.
  if (input.NextToken !== undefined) throw invalidRequest('The NextToken is not valid.');
  return { Tags: Object.entries(deps.repo.tags(ctx, arn)).map(([Key, Value]) => ({ Key, Value })) };
}
