/**
 * GetMetricData paging: at most MaxDatapoints values per response (100,800 by default); the
 * rest follows with NextToken. The token carries the position and a digest of the request, so a
 * token replayed against another request is refused as CloudWatch does (InvalidNextToken).
 */
import { createHash } from 'node:crypto';
import { ServiceError } from '../../../protocol/errors.ts';

export const DEFAULT_MAX_DATAPOINTS = 100_800;

export interface PageCursor { offset: number }

export function requestDigest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('base64url').slice(0, 16);
}

export function encodeCursor(c: PageCursor, digest: string): string {
  return Buffer.from(JSON.stringify({ o: c.offset, d: digest })).toString('base64url');
}

export function decodeCursor(token: string, digest: string): PageCursor {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; d?: unknown };
    if (typeof t.o === 'number' && Number.isSafeInteger(t.o) && t.o >= 0 && t.d === digest) return { offset: t.o };
  } catch { /* fall through */ }
  throw new ServiceError('InvalidNextToken', 'The service couldn\'t process your request because the NextToken is invalid.');
}
