/** List tokens: opaque base64url JSON of where the last page ended. */
import { validation } from './names.ts';

export const encodeToken = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function decodeToken<T>(token: string | undefined, valid: (v: unknown) => v is T): T | undefined {
  if (token === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (valid(v)) return v;
  } catch {
    // the error below
  }
  throw validation('The NextToken provided is invalid.');
}

/** Lists answer at most 100 per page (the models' MaxResults range), 100 when not asked. */
export const pageSize = (max: number | undefined) => max ?? 100;
