/**
 * Text to typed values, shared by the members of JSON and ROW columns (json-url.ts) and the
 * external tables' SerDes (metastore/values.ts): as Hive and Trino read text, a value that does not
 * parse is NULL rather than an error.
 */
import { isString } from './types.ts';

const CASTS: Record<string, string> = {
  tinyint: 'Int8', smallint: 'Int16', integer: 'Int32', bigint: 'Int64', real: 'Float32', double: 'Float64',
};

/** The text of a JSON value (raw JSON text): strings unquoted, null or absent NULL, anything else as written. */
export const jsonValueText = (raw: string): string => `if(startsWith(${raw}, '"'), JSONExtractString(${raw}), nullIf(nullIf(${raw}, ''), 'null'))`;

/** A text expression (possibly NULL) as a value of a scalar Trino type; the text itself for other types. */
export function castText(text: string, type: string): string {
  if (isString(type)) return text;
  if (type === 'boolean') return `multiIf(lower(${text}) = 'true', true, lower(${text}) = 'false', false, NULL)`;
  if (type === 'date') return `toDate32OrNull(${text})`;
  if (type.startsWith('timestamp')) return `parseDateTime64BestEffortOrNull(${text}, 3, 'UTC')`;
  if (type.startsWith('decimal(')) return `accurateCastOrNull(${text}, 'Decimal(${type.slice(8, -1)})')`;
  const ch = CASTS[type];
  return ch ? `accurateCastOrNull(${text}, '${ch}')` : text;
}
