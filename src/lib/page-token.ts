/**
 * NextToken for lists that page by a sort key: the last item's key, opaque to clients. The
 * service supplies its own error for a token it did not issue.
 */
export const encodePageToken = (key: string): string => Buffer.from(JSON.stringify({ k: key })).toString('base64url');

export function decodePageToken(token: string, invalid: () => Error): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch { /* answered below */ }
  throw invalid();
}
