/**
 * Result locations (`s3://bucket/prefix/`): only buckets the operator mapped in `export.buckets`
 * can receive query results; a workgroup or query naming another is refused up front.
 */
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import { invalidRequest } from './errors.ts';

export interface OutputLocation {
  bucket: string;
  /** Key prefix, '' or ending with '/'. */
  prefix: string;
}

export function parseOutputLocation(raw: string, buckets: ExportDestinations): OutputLocation {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(raw);
  if (!m) throw invalidRequest(`${raw} is not a valid S3 location: use s3://bucket/optional/prefix/.`);
  const [, bucket, rest] = m as unknown as [string, string, string];
  if (!buckets.has(bucket)) {
    throw invalidRequest(`Unable to verify/create output bucket ${bucket}: it is not mapped in this Osprey. Add it to export.buckets (OSPREY_EXPORT_BUCKETS).`);
  }
  return { bucket, prefix: rest === '' || rest.endsWith('/') ? rest : `${rest}/` };
}
