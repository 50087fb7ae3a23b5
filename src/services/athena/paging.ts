/** NextToken for Athena's lists (lib/page-token.ts) with Athena's error for a bad one. */
import { decodePageToken, encodePageToken } from '../../lib/page-token.ts';
import { invalidRequest } from './errors.ts';

export const encodeToken = encodePageToken;
export const decodeToken = (token: string): string => decodePageToken(token, () => invalidRequest('The NextToken is not valid.'));
