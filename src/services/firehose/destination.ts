/**
 * A delivery stream's destination: what CreateDeliveryStream / UpdateDestination store (the
 * configuration as given, S3 or extended S3 or HTTP endpoint) and the compiled form delivery runs
 * on. Compiling is validation: every setting Osprey cannot honour is refused here with an
 * InvalidArgumentException that says what is supported, never accepted and silently ignored.
 */
import type {
  ExtendedS3DestinationConfiguration, HttpEndpointDestinationConfiguration, CloudWatchLoggingOptions,
} from '@aws-sdk/client-firehose';
import { ServiceError } from '../../protocol/errors.ts';
import type { CompressionFormat } from './compression.ts';
import { isKnownTimeZone } from '../../lib/time-zone.ts';
import { compilePrefixes, PrefixError, type CompiledPrefixes } from './prefix.ts';
import { compilePipeline, ProcessorConfigError, type Pipeline } from './processors.ts';

export type StoredDestination =
  | { kind: 's3'; extended: boolean; config: ExtendedS3DestinationConfiguration }
  | { kind: 'http'; config: HttpEndpointDestinationConfiguration };

export interface Buffering {
  sizeBytes: number;
  intervalMs: number;
}

export interface LogTarget {
  group: string;
  stream: string;
}

/** Where and how objects are written to a bucket. */
export interface S3Target {
  bucketArn: string;
  bucket: string;
  prefixes: CompiledPrefixes;
  compression: CompressionFormat;
  fileExtension?: string;
  timeZone?: string;
  buffering: Buffering;
  logging?: LogTarget;
}

export interface HttpTarget {
  url: string;
  name?: string;
  accessKey?: string;
  gzip: boolean;
  commonAttributes: Record<string, string>;
  retryMs: number;
  backupAll: boolean;
  buffering: Buffering;
  logging?: LogTarget;
}

export type CompiledDestination =
  | { kind: 's3'; s3: S3Target; pipeline: Pipeline; dynamicPartitioning: boolean; /** S3BackupMode Enabled: the source records, unprocessed. */ sourceBackup?: S3Target }
  | { kind: 'http'; http: HttpTarget; backup: S3Target; pipeline: Pipeline };

export const invalid = (message: string) => new ServiceError('InvalidArgumentException', message);

const MIB = 1024 * 1024;
const SUPPORTED_DESTINATIONS = 'Osprey delivers to ExtendedS3DestinationConfiguration, S3DestinationConfiguration (buckets mapped in export.buckets) and HttpEndpointDestinationConfiguration';
const OTHER_DESTINATIONS = ['Redshift', 'Elasticsearch', 'Amazonopensearchservice', 'Splunk', 'AmazonOpenSearchServerless', 'Snowflake', 'Iceberg'];

/** The one destination of a CreateDeliveryStream request, or the error AWS/Osprey gives. */
export function destinationOfCreate(input: object): StoredDestination {
  const members = new Map(Object.entries(input).filter(([k, v]) => k.endsWith('DestinationConfiguration') && v !== undefined));
  const given = [...members.keys()];
  const other = given.find((k) => OTHER_DESTINATIONS.some((d) => k === `${d}DestinationConfiguration`));
  if (other) throw invalid(`${other} is not supported: ${SUPPORTED_DESTINATIONS}.`);
  if (given.length !== 1) throw invalid('Exactly one destination configuration is supported for a Firehose stream.');
  const key = given[0]!;
  if (key === 'HttpEndpointDestinationConfiguration') return { kind: 'http', config: members.get(key) as HttpEndpointDestinationConfiguration };
  return { kind: 's3', extended: key === 'ExtendedS3DestinationConfiguration', config: members.get(key) as ExtendedS3DestinationConfiguration };
}

export function bucketOfArn(arn: string): string {
  const m = /^arn:[\w-]+:s3:::([^/]+)$/.exec(arn);
  if (!m) throw invalid(`BucketARN ${arn} is not an S3 bucket ARN (arn:aws:s3:::<bucket>).`);
  return m[1]!;
}

function buffering(h: { SizeInMBs?: number; IntervalInSeconds?: number } | undefined): Buffering {
  return { sizeBytes: (h?.SizeInMBs ?? 5) * MIB, intervalMs: (h?.IntervalInSeconds ?? 300) * 1000 };
}

function logging(o: CloudWatchLoggingOptions | undefined): LogTarget | undefined {
  if (!o?.Enabled) return undefined;
  if (!o.LogGroupName || !o.LogStreamName) throw invalid('CloudWatchLoggingOptions needs LogGroupName and LogStreamName when Enabled is true.');
  return { group: o.LogGroupName, stream: o.LogStreamName };
}

function s3Target(c: ExtendedS3DestinationConfiguration, dynamicPartitioning: boolean): S3Target {
  if (!c.BucketARN) throw invalid('BucketARN is required.');
  if (c.CustomTimeZone && !isKnownTimeZone(c.CustomTimeZone)) throw invalid(`CustomTimeZone ${c.CustomTimeZone} is not a supported time zone.`);
  if (c.EncryptionConfiguration?.KMSEncryptionConfig) {
    throw invalid('KMSEncryptionConfig (SSE-KMS on delivered objects) is not supported by Osprey; use NoEncryptionConfig.');
  }
  let prefixes: CompiledPrefixes;
  try {
    prefixes = compilePrefixes({ prefix: c.Prefix, errorOutputPrefix: c.ErrorOutputPrefix, dynamicPartitioning });
  } catch (e) {
    if (e instanceof PrefixError) throw invalid(e.message);
    throw e;
  }
  return {
    bucketArn: c.BucketARN, bucket: bucketOfArn(c.BucketARN), prefixes,
    compression: (c.CompressionFormat ?? 'UNCOMPRESSED') as CompressionFormat,
    fileExtension: c.FileExtension || undefined, timeZone: c.CustomTimeZone || undefined,
    buffering: buffering(c.BufferingHints), logging: logging(c.CloudWatchLoggingOptions),
  };
}

function pipeline(cfg: ExtendedS3DestinationConfiguration['ProcessingConfiguration'], dynamicPartitioning: boolean): Pipeline {
  try {
    return compilePipeline(cfg, dynamicPartitioning);
  } catch (e) {
    if (e instanceof ProcessorConfigError) throw invalid(e.message);
    throw e;
  }
}

export function compileDestination(d: StoredDestination): CompiledDestination {
  if (d.kind === 's3') {
    const c = d.config;
    if (c.DataFormatConversionConfiguration?.Enabled !== false && c.DataFormatConversionConfiguration !== undefined) {
      throw invalid('DataFormatConversionConfiguration (Parquet/ORC conversion) is not supported by Osprey; set Enabled to false or leave it out.');
    }
    if (c.S3BackupMode === 'Enabled' && !c.S3BackupConfiguration) throw invalid('S3BackupConfiguration is required when S3BackupMode is Enabled.');
    const dynamicPartitioning = c.DynamicPartitioningConfiguration?.Enabled === true;
    const p = pipeline(c.ProcessingConfiguration, dynamicPartitioning);
    const s3 = s3Target(c, dynamicPartitioning);
    if (dynamicPartitioning && s3.prefixes.partitionKeys.length > 0 && !p.metadata) {
      throw invalid('Prefix uses partitionKeyFromQuery keys, so ProcessingConfiguration needs an enabled MetadataExtraction processor.');
    }
    const missing = s3.prefixes.partitionKeys.find((k) => !p.metadata?.keys.some((q) => q.name === k));
    if (missing) throw invalid(`Prefix uses !{partitionKeyFromQuery:${missing}}, which MetadataExtractionQuery does not define.`);
    const sourceBackup = c.S3BackupMode === 'Enabled' ? s3Target(c.S3BackupConfiguration!, false) : undefined;
    return { kind: 's3', s3, pipeline: p, dynamicPartitioning, ...(sourceBackup ? { sourceBackup } : {}) };
  }
  const c = d.config;
  if (!c.EndpointConfiguration?.Url) throw invalid('EndpointConfiguration.Url is required.');
  if (c.SecretsManagerConfiguration?.Enabled) throw invalid('SecretsManagerConfiguration is not supported by Osprey; give EndpointConfiguration.AccessKey.');
  if (!c.S3Configuration) throw invalid('S3Configuration is required for an HTTP endpoint destination.');
  const attrs = Object.fromEntries((c.RequestConfiguration?.CommonAttributes ?? []).map((a) => [a.AttributeName ?? '', a.AttributeValue ?? '']));
  return {
    kind: 'http',
    pipeline: pipeline(c.ProcessingConfiguration, false),
    backup: s3Target(c.S3Configuration, false),
    http: {
      url: c.EndpointConfiguration.Url, name: c.EndpointConfiguration.Name, accessKey: c.EndpointConfiguration.AccessKey || undefined,
      gzip: c.RequestConfiguration?.ContentEncoding === 'GZIP', commonAttributes: attrs,
      retryMs: (c.RetryOptions?.DurationInSeconds ?? 300) * 1000, backupAll: c.S3BackupMode === 'AllData',
      buffering: buffering(c.BufferingHints), logging: logging(c.CloudWatchLoggingOptions),
    },
  };
}
