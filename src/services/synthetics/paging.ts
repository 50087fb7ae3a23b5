/** NextToken for Synthetics' lists: the last item's sort key, opaque to clients. */
import { validation } from './names.ts';

export const encodeToken = (key: string): string => Buffer.from(JSON.stringify({ k: key })).toString('base64url');

export function decodeToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'string') return v.k;
  } catch { /* answered below */ }
  throw validation('The NextToken is not valid.');
}
