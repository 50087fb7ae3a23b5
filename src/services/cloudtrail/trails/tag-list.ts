/** Trail tags as AWS limits them: 50 per trail, keys not starting with `aws:`. */
import type { Tag } from '@aws-sdk/client-cloudtrail';
import { ServiceError } from '../../../protocol/errors.ts';

export const MAX_TAGS = 50;

export function mergeTags(current: Record<string, string>, list: readonly Tag[]): Record<string, string> {
  const out = { ...current };
  for (const t of list) {
    const key = t.Key ?? '';
    if (key.toLowerCase().startsWith('aws:')) throw new ServiceError('InvalidTagParameterException', `Tag keys beginning with aws: are reserved: ${key}`);
    out[key] = t.Value ?? '';
  }
  if (Object.keys(out).length > MAX_TAGS) {
    throw new ServiceError('TagsLimitExceededException', `The number of tags on a trail cannot exceed ${MAX_TAGS}.`);
  }
  return out;
}

export const tagList = (tags: Record<string, string>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
