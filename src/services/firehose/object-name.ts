/**
 * AWS's S3 object name format for Firehose: `<evaluated prefix><stream name>-<stream version>-
 * <yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><file extension>`, the time being the approximate arrival
 * of the object's oldest record, in the stream's CustomTimeZone (UTC by default). FileExtension
 * replaces the extension the compression format adds.
 */
import { randomUUID } from 'node:crypto';
import { compileDatePattern, formatDate, type DateFields } from './date-format.ts';
import { COMPRESSION_EXTENSION, type CompressionFormat } from './compression.ts';

const SUFFIX_TIME = compileDatePattern('yyyy-MM-dd-HH-mm-ss');

export function objectSuffix(o: { stream: string; version: number; time: DateFields; compression: CompressionFormat; fileExtension?: string; uuid?: string }): string {
  const ext = o.fileExtension ? o.fileExtension : COMPRESSION_EXTENSION[o.compression];
  return `${o.stream}-${o.version}-${formatDate(SUFFIX_TIME, o.time)}-${o.uuid ?? randomUUID()}${ext}`;
}
