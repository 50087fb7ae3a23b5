/**
 * NextToken paging over a name-ordered list: the token is the last name returned (opaque to
 * clients), so a page stays correct when items before it are deleted.
 */
import { badRequest } from './names.ts';

const DEFAULT_LIMIT = 100;

export function page<T>(items: T[], key: (t: T) => string, limit: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  if (limit !== undefined && limit < 1) throw badRequest(`Invalid limit ${limit}: the limit must be at least 1.`);
  let start = 0;
  if (token !== undefined) {
    const after = decode(token);
    start = items.findIndex((t) => key(t) > after);
    if (start < 0) start = items.length;
  }
  const n = limit ?? DEFAULT_LIMIT;
  const slice = items.slice(start, start + n);
  const more = start + n < items.length;
  return { items: slice, next: more ? Buffer.from(key(slice[slice.length - 1]!)).toString('base64url') : undefined };
}

function decode(token: string): string {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  if (!token || Buffer.from(s).toString('base64url') !== token) throw badRequest('Invalid NextToken: pass the token a previous page returned.');
  return s;
}
