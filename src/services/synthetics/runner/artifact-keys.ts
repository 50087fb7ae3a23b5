/**
 * Where a run's artifacts go in the artifact bucket, in AWS's layout:
 * `<prefix>/canary/<region>/<canaryName>-<canaryId>/<yyyy>/<mm>/<dd>/<hh>/<runId>/<file>` (UTC).
 */
import type { ArtifactLocation } from '../canary-config.ts';

const two = (n: number) => String(n).padStart(2, '0');

export function runKeyPrefix(loc: ArtifactLocation, region: string, canary: { name: string; id: string }, started: number, runId: string): string {
  const d = new Date(started);
  const parts = [
    loc.prefix, 'canary', region, `${canary.name}-${canary.id}`,
    String(d.getUTCFullYear()), two(d.getUTCMonth() + 1), two(d.getUTCDate()), two(d.getUTCHours()), runId,
  ].filter((p) => p !== '');
  return parts.join('/');
}

/** The run's ArtifactS3Location as GetCanaryRuns reports it. */
export const runLocation = (loc: ArtifactLocation, keyPrefix: string): string => `s3://${loc.bucket}/${keyPrefix}`;
