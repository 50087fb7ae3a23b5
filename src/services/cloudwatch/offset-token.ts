/** Opaque offset tokens for CloudWatch listings (ListMetrics, DescribeAlarms, DescribeAlarmHistory); InvalidNextToken for anything else. */
import { ServiceError } from '../../protocol/errors.ts';

export const encodeOffset = (offset: number) => Buffer.from(JSON.stringify({ a: offset })).toString('base64url');

export function decodeOffset(token: string): number {
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown }).a;
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  } catch { /* fall through */ }
  throw new ServiceError('InvalidNextToken', 'The service couldn\'t process your request because the NextToken is invalid.');
}
