/** NextToken for Synthetics' lists (lib/page-token.ts) with Synthetics' error for a bad one. */
import { decodePageToken, encodePageToken } from '../../lib/page-token.ts';
import { validation } from './names.ts';

export const encodeToken = encodePageToken;
export const decodeToken = (token: string): string => decodePageToken(token, () => validation('The NextToken is not valid.'));
