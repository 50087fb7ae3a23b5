/**
 * Where a trail's log file goes in its bucket, in AWS's layout ("Finding your CloudTrail log files"):
 * `[<S3KeyPrefix>/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
 *  <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<UniqueString>.json.gz`, date and time being
 * the delivery time in UTC and UniqueString 16 random alphanumerics (they only prevent overwrites).
 * Insights events go to the same layout under `CloudTrail-Insight` (AWS keeps them apart so log
 * processors of management and data events never see them).
 */
import { randomInt } from 'node:crypto';
import type { EventCategory } from '../record/types.ts';

export type LogFileKind = 'CloudTrail' | 'CloudTrail-Insight';

export const logFileKindOf = (category: EventCategory | string): LogFileKind =>
  (category === 'Insight' ? 'CloudTrail-Insight' : 'CloudTrail');

export interface LogFileKeyParts {
  prefix?: string;
  account: string;
  region: string;
  kind: LogFileKind;
  /** Delivery time, epoch ms. */
  deliveredAt: number;
  unique: string;
}

const two = (n: number) => String(n).padStart(2, '0');

export function logFileKey(p: LogFileKeyParts): string {
  const d = new Date(p.deliveredAt);
  const [y, m, day] = [String(d.getUTCFullYear()).padStart(4, '0'), two(d.getUTCMonth() + 1), two(d.getUTCDate())];
  const time = `${y}${m}${day}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}Z`;
  const name = `${p.account}_${p.kind}_${p.region}_${time}_${p.unique}.json.gz`;
  return `${p.prefix ? `${p.prefix}/` : ''}AWSLogs/${p.account}/${p.kind}/${p.region}/${y}/${m}/${day}/${name}`;
}

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** AWS's 16-character UniqueString. */
export function uniqueString(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALPHANUMERICS[randomInt(ALPHANUMERICS.length)];
  return s;
}
