/**
 * Model enums the metadata store keeps as plain strings, narrowed back to the SDK's unions on the
 * way out. What is stored came from enum-checked input (or a default), so a value outside the
 * union would be a corrupt row; it is then left out of the answer rather than sent.
 */
import type { LogGroupClass, QueryLanguage, StandardUnit } from '@aws-sdk/client-cloudwatch-logs';

// Record<Union, true>: the compiler insists every value of the union is listed, and nothing else.
const LOG_GROUP_CLASSES: Record<LogGroupClass, true> = { DELIVERY: true, ESSENTIALS: true, INFREQUENT_ACCESS: true, STANDARD: true };

const QUERY_LANGUAGES: Record<QueryLanguage, true> = { CWLI: true, PPL: true, SQL: true };

const STANDARD_UNITS: Record<StandardUnit, true> = {
  Bits: true, 'Bits/Second': true, Bytes: true, 'Bytes/Second': true, Count: true, 'Count/Second': true,
  Gigabits: true, 'Gigabits/Second': true, Gigabytes: true, 'Gigabytes/Second': true, Kilobits: true, 'Kilobits/Second': true,
  Kilobytes: true, 'Kilobytes/Second': true, Megabits: true, 'Megabits/Second': true, Megabytes: true, 'Megabytes/Second': true,
  Microseconds: true, Milliseconds: true, None: true, Percent: true, Seconds: true, Terabits: true, 'Terabits/Second': true,
  Terabytes: true, 'Terabytes/Second': true,
};

const isMember = <T extends string>(values: Record<T, true>, v: string): v is T => Object.hasOwn(values, v);

export const asLogGroupClass = (stored: string): LogGroupClass | undefined => (isMember(LOG_GROUP_CLASSES, stored) ? stored : undefined);
export const asStandardUnit = (stored: string | undefined): StandardUnit | undefined =>
  stored !== undefined && isMember(STANDARD_UNITS, stored) ? stored : undefined;
export const asQueryLanguage = (stored: string): QueryLanguage | undefined => (isMember(QUERY_LANGUAGES, stored) ? stored : undefined);
