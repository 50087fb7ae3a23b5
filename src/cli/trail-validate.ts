/**
 * `osprey trail validate`: `aws cloudtrail validate-logs` against an Osprey server. The trail's
 * bucket and prefix come from DescribeTrails and the public keys from ListPublicKeys (the SDK's
 * CloudTrail client, credentials from the usual AWS_* environment, default test/test); objects are
 * read straight from the operator's bucket mapping (the same config file / OSPREY_EXPORT_BUCKETS
 * the server uses), since Osprey serves no S3 API. Output follows validate-logs: invalid files on
 * stderr, valid ones with --verbose, a summary on stdout.
 *
 * Exit status: 0 every digest and log file valid, 1 any invalid, 2 usage, config or connection error.
 */
import { CloudTrailClient, DescribeTrailsCommand, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { loadConfig } from '../config/config.ts';
import { isoSeconds } from '../services/cloudtrail/digest/format.ts';
import { exportDestinationsFrom, type ExportDestinations } from '../store/buckets/sinks.ts';
import { walkDigests, type ObjectSource } from './digest-walk.ts';

export interface ValidateOptions {
  trailArn: string;
  startTime: string;
  endTime?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  verbose?: boolean;
  endpointUrl?: string;
  region?: string;
  config?: string;
}

/** A problem with the request rather than the logs: one line, exit 2. */
export class UsageError extends Error {}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const ARN = /^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/;

function parseTime(value: string): number {
  const t = Date.parse(/^\d{8}T\d{6}Z$/.test(value) ? value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z') : value);
  if (Number.isNaN(t)) throw new UsageError(`Unable to parse date value: ${value}`);
  return t;
}

function bucketSource(destinations: ExportDestinations): ObjectSource {
  return {
    get: async (bucket, key) => destinations.bucket(bucket)?.get(key),
    list: async (bucket, prefix) => {
      const sink = destinations.bucket(bucket);
      if (!sink) throw new UsageError(`bucket ${bucket} is not in the bucket mapping (config export.buckets or OSPREY_EXPORT_BUCKETS)`);
      return sink.list(prefix);
    },
  };
}

async function trailLocation(client: CloudTrailClient, o: ValidateOptions): Promise<{ bucket: string; prefix?: string }> {
  if (o.s3Bucket) return { bucket: o.s3Bucket, prefix: o.s3Prefix };
  const { trailList } = await client.send(new DescribeTrailsCommand({ trailNameList: [o.trailArn] }));
  const trail = trailList?.find((t) => t.TrailARN === o.trailArn);
  if (!trail) throw new UsageError(`A trail could not be found for ${o.trailArn}`);
  if (!trail.S3BucketName) throw new UsageError(`Trail ${o.trailArn} delivers to no S3 bucket`);
  return { bucket: trail.S3BucketName, prefix: o.s3Prefix ?? trail.S3KeyPrefix };
}

async function publicKeys(client: CloudTrailClient, start: number, end: number): Promise<Map<string, Buffer>> {
  const { PublicKeyList } = await client.send(new ListPublicKeysCommand({ StartTime: new Date(start), EndTime: new Date(end) }));
  const keys = new Map((PublicKeyList ?? []).map((k) => [k.Fingerprint!, Buffer.from(k.Value!)]));
  if (keys.size === 0) throw new UsageError(`No public keys found between ${isoSeconds(start)} and ${isoSeconds(end)}`);
  return keys;
}

/** Runs the validation; returns the exit status. Throws UsageError for exit 2. */
export async function validateTrail(o: ValidateOptions, io: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const arn = ARN.exec(o.trailArn);
  if (!arn) throw new UsageError(`Invalid trail ARN provided: ${o.trailArn}`);
  const [, homeRegion, account, trailName] = arn;
  const start = parseTime(o.startTime);
  const end = o.endTime === undefined ? Date.now() : parseTime(o.endTime);
  if (start > end) throw new UsageError('Invalid time range specified: start-time must occur before end-time');
  const config = loadConfig({ configFile: o.config }, env);
  const region = o.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? homeRegion;
  // Osprey supports Node 20; the SDK's "upgrade Node" notice would bury the one-line results.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new CloudTrailClient({
    endpoint: o.endpointUrl ?? 'http://127.0.0.1:4566',
    region,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
      sessionToken: env.AWS_SESSION_TOKEN,
    },
    maxAttempts: 2,
  });
  const destinations = exportDestinationsFrom(config.export);
  try {
    const { bucket, prefix } = await trailLocation(client, o);
    const keys = await publicKeys(client, start, end);
    io.out(`Validating log files for trail ${o.trailArn} between ${isoSeconds(start)} and ${isoSeconds(end)}\n`);
    const counts = await report(io, !!o.verbose, (events) => walkDigests({
      source: bucketSource(destinations), keys, bucket, start, end,
      parts: { prefix, account, region, trailName, homeRegion },
    }, events));
    summary(io, start, end, counts);
    return counts.invalidDigests + counts.invalidLogs > 0 ? 1 : 0;
  } finally {
    client.destroy();
    await destinations.close();
  }
}

interface Counts {
  validDigests: number;
  invalidDigests: number;
  validLogs: number;
  invalidLogs: number;
  foundStart?: number;
  foundEnd?: number;
}

async function report(io: Output, verbose: boolean, walk: (events: Parameters<typeof walkDigests>[1]) => Promise<void>): Promise<Counts> {
  const c: Counts = { validDigests: 0, invalidDigests: 0, validLogs: 0, invalidLogs: 0 };
  await walk({
    digest: (bucket, key, r) => {
      if ('reason' in r) {
        c.invalidDigests++;
        io.err(`Digest file\ts3://${bucket}/${key}\tINVALID: ${r.reason}\n`);
        return;
      }
      c.validDigests++;
      c.foundStart = Date.parse(r.digest.digestStartTime);
      c.foundEnd ??= Date.parse(r.digest.digestEndTime);
      if (verbose) io.out(`Digest file\ts3://${bucket}/${key}\tvalid`);
    },
    logFile: (bucket, key, reason) => {
      if (reason === undefined) {
        c.validLogs++;
        if (verbose) io.out(`Log file\ts3://${bucket}/${key}\tvalid`);
      } else {
        c.invalidLogs++;
        io.err(`Log file\ts3://${bucket}/${key}\tINVALID: ${reason}\n`);
      }
    },
    gap: (olderEnd, newerStart) => io.err(`No log files were delivered by CloudTrail between ${isoSeconds(olderEnd)} and ${isoSeconds(newerStart)}\n`),
  });
  return c;
}

function summary(io: Output, start: number, end: number, c: Counts): void {
  io.out(`\nResults requested for ${isoSeconds(start)} to ${isoSeconds(end)}`);
  if (c.validDigests + c.invalidDigests === 0) {
    io.out('No digests found');
    return;
  }
  if (c.foundEnd === undefined) io.out('No valid digests found in range');
  else io.out(`Results found for ${isoSeconds(Math.max(start, c.foundStart!))} to ${isoSeconds(Math.min(end, c.foundEnd))}:`);
  const ratio = (valid: number, invalid: number, name: string) => {
    const total = valid + invalid;
    if (total > 0) io.out(`\n${valid}/${total} ${name} files valid${invalid > 0 ? `, ${invalid}/${total} ${name} files INVALID` : ''}`);
  };
  ratio(c.validDigests, c.invalidDigests, 'digest');
  ratio(c.validLogs, c.invalidLogs, 'log');
}
