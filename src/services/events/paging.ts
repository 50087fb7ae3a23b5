/** EventBridge list tokens: opaque base64url of the last name returned. */
import { ServiceError } from '../../protocol/errors.ts';

export const nextToken = (last: string) => Buffer.from(JSON.stringify({ after: last })).toString('base64url');

export function afterToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    // the AWS error below
  }
  throw new ServiceError('ValidationException', 'The NextToken provided is invalid.');
}

/** One page of a name-ordered list fetched with limit + 1 to know whether more follow. */
export function pageOf<T>(rows: T[], limit: number, name: (t: T) => string): { items: T[]; token?: string } {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, token: nextToken(name(items[items.length - 1]!)) };
}
