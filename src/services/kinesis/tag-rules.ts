/** AWS's tag rules for streams and consumers (shared by CreateStream, RegisterStreamConsumer and the tag APIs). */
import { invalidArgument } from './deps.ts';

/** Kinesis: at most 50 tags per stream (or consumer). */
export const MAX_TAGS = 50;

export function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw invalidArgument(`A resource cannot have more than ${MAX_TAGS} tags.`);
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw invalidArgument(`Tag key ${k} must be 1 to 128 characters.`);
    if (v.length > 256) throw invalidArgument(`Tag value for key ${k} must be at most 256 characters.`);
    if (k.toLowerCase().startsWith('aws:')) throw invalidArgument(`Tag key ${k} uses the reserved prefix aws:.`);
  }
}

