/** The checks on tags given to an X-Ray resource (tags.ts, CreateGroup, CreateSamplingRule). */
import type { Tag } from '@aws-sdk/client-xray';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';

/** "Maximum number of user-applied tags per resource: 50." */
export const MAX_TAGS = 50;

/** Tags to add, checked against the reserved prefix and the per-resource limit. */
export async function checkTags(deps: XrayDeps, ctx: Ctx, arn: string, tags: readonly Tag[]): Promise<Record<string, string>> {
  const add: Record<string, string> = {};
  for (const t of tags) {
    const key = t.Key ?? '';
    if (key.toLowerCase().startsWith('aws:')) throw invalidRequest(`Tag keys starting with "aws:" are reserved: ${key}`);
    add[key] = t.Value ?? '';
  }
  const total = new Set([...Object.keys(await deps.repo.tags(ctx, arn)), ...Object.keys(add)]).size;
  if (total > MAX_TAGS) {
    throw new ServiceError('TooManyTagsException', `A resource can have at most ${MAX_TAGS} tags; ${arn} would have ${total}.`, { fields: { ResourceName: arn } });
  }
  return add;
}

