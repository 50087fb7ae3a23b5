import { ServiceError } from '../../protocol/errors.ts';

/** Opaque list tokens: base64url of a small JSON value, so clients cannot depend on their shape. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string, check: (v: unknown) => v is T): T {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (check(v)) return v;
  } catch {
    // fall through to the AWS error
  }
  throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
}
