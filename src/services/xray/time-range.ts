/** The StartTime/EndTime pair of trace and graph queries, checked as X-Ray checks it. */
import { invalidRequest } from './errors.ts';

export function timeRange(start: Date | undefined, end: Date | undefined): { start: number; end: number } {
  if (!start || !end) throw invalidRequest('StartTime and EndTime are required.');
  const s = start.getTime() / 1000;
  const e = end.getTime() / 1000;
  if (!(e > s)) throw invalidRequest('EndTime must be after StartTime.');
  return { start: s, end: e };
}

/** Opaque paging position: how many trace ids of the range were already scanned. */
export function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw invalidRequest('The NextToken is not valid.');
  return n;
}

export function encodeOffset(n: number): string {
  return Buffer.from(String(n), 'utf8').toString('base64url');
}
