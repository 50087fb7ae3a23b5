/**
 * Model enums the metadata store keeps as plain strings, narrowed back to the SDK's unions on the
 * way out. What is stored came from enum-checked input (or a default), so a value outside the
 * union would be a corrupt row; it is then left out of the answer rather than sent.
 */
import type { LogGroupClass, QueryLanguage } from '@aws-sdk/client-cloudwatch-logs';
import { isMember } from '../../lib/metric-units.ts';

export { asStandardUnit } from '../../lib/metric-units.ts';

// Record<Union, true>: the compiler insists every value of the union is listed, and nothing else.
const LOG_GROUP_CLASSES: Record<LogGroupClass, true> = { DELIVERY: true, ESSENTIALS: true, INFREQUENT_ACCESS: true, STANDARD: true };

const QUERY_LANGUAGES: Record<QueryLanguage, true> = { CWLI: true, PPL: true, SQL: true };

export const asLogGroupClass = (stored: string): LogGroupClass | undefined => (isMember(LOG_GROUP_CLASSES, stored) ? stored : undefined);
export const asQueryLanguage = (stored: string): QueryLanguage | undefined => (isMember(QUERY_LANGUAGES, stored) ? stored : undefined);
