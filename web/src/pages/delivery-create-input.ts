// The create form's fields as a CreateDeliveryStream request: the source, then an S3 or HTTP endpoint
// destination with buffering, compression or retries, and error logging to CloudWatch Logs as AWS's
// console sets it up (log group /aws/kinesisfirehose/<name>, stream DestinationDelivery).
import type { CloudWatchLoggingOptions, CompressionFormat, CreateDeliveryStreamInput, HttpEndpointS3BackupMode } from '@aws-sdk/client-firehose';

export type SourceKind = 'DirectPut' | 'KinesisStreamAsSource';
export type DestinationKind = 's3' | 'http';

const text = (f: FormData, name: string): string => String(f.get(name) ?? '').trim();
const num = (f: FormData, name: string): number | undefined => (text(f, name) ? Number(text(f, name)) : undefined);

/** A bucket name or ARN as an ARN. */
export const bucketArn = (v: string): string => (v.startsWith('arn:') ? v : `arn:aws:s3:::${v}`);

export function loggingFor(name: string, enabled: boolean): CloudWatchLoggingOptions {
  return enabled ? { Enabled: true, LogGroupName: `/aws/kinesisfirehose/${name}`, LogStreamName: 'DestinationDelivery' } : { Enabled: false };
}

export function createInput(f: FormData, source: SourceKind, destination: DestinationKind): CreateDeliveryStreamInput {
  const name = text(f, 'name');
  const role = text(f, 'role');
  const logging = loggingFor(name, f.get('logging') !== null);
  const input: CreateDeliveryStreamInput = { DeliveryStreamName: name, DeliveryStreamType: source };
  if (source === 'KinesisStreamAsSource') input.KinesisStreamSourceConfiguration = { KinesisStreamARN: text(f, 'kinesisArn'), RoleARN: role };
  const buffering = { SizeInMBs: num(f, 'bufferMb'), IntervalInSeconds: num(f, 'bufferSeconds') };
  if (destination === 's3') {
    input.ExtendedS3DestinationConfiguration = {
      RoleARN: role, BucketARN: bucketArn(text(f, 'bucket')), Prefix: text(f, 'prefix') || undefined, ErrorOutputPrefix: text(f, 'errorPrefix') || undefined,
      BufferingHints: buffering, CompressionFormat: (text(f, 'compression') || 'UNCOMPRESSED') as CompressionFormat, CloudWatchLoggingOptions: logging,
    };
  } else {
    input.HttpEndpointDestinationConfiguration = {
      EndpointConfiguration: { Url: text(f, 'url'), Name: text(f, 'endpointName') || undefined, AccessKey: text(f, 'accessKey') || undefined },
      BufferingHints: buffering, RetryOptions: { DurationInSeconds: num(f, 'retrySeconds') }, RoleARN: role, CloudWatchLoggingOptions: logging,
      // Records the endpoint refused past the retry duration go to this bucket (AWS requires one).
      S3BackupMode: (text(f, 'backupMode') || 'FailedDataOnly') as HttpEndpointS3BackupMode,
      S3Configuration: { RoleARN: role, BucketARN: bucketArn(text(f, 'backupBucket')), ErrorOutputPrefix: text(f, 'errorPrefix') || undefined },
    };
  }
  return input;
}
