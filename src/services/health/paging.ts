/** nextToken for Health's lists: the last returned item's position key, opaque to clients. */
import { decodePageToken, encodePageToken } from '../../lib/page-token.ts';
import { ServiceError } from '../../protocol/errors.ts';

const invalid = () => new ServiceError('InvalidPaginationToken', 'The specified pagination token (nextToken) is not valid.');

/** One page of `items` (in a stable order, each with a unique key) after the token's item. */
export function page<T>(items: T[], keyOf: (t: T) => string, max: number, token: string | undefined): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = decodePageToken(token, invalid);
    const at = items.findIndex((t) => keyOf(t) === after);
    // The token's item is gone (it cannot vanish: incidents are never deleted) or never existed.
    if (at < 0) throw invalid();
    start = at + 1;
  }
  const slice = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: slice, ...(more ? { nextToken: encodePageToken(keyOf(slice[slice.length - 1]!)) } : {}) };
}
