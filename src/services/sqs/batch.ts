/** The checks every *Batch operation shares: 1–10 entries, distinct ids of the allowed form. */
import { ServiceError } from '../../protocol/errors.ts';

const MAX_ENTRIES = 10;

export function checkBatchIds(ids: string[]): void {
  if (ids.length === 0) throw new ServiceError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  if (ids.length > MAX_ENTRIES) {
    throw new ServiceError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_ENTRIES}. You have sent ${ids.length}.`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new ServiceError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    }
    if (seen.has(id)) throw new ServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
}
