/**
 * DescribeDeliveryStream's view of a stored destination, with AWS's defaults filled in (buffering
 * hints, compression, encryption, logging) and the HTTP endpoint's access key left out, and
 * UpdateDestination's merge of an update into the stored configuration.
 */
import type {
  DestinationDescription, ExtendedS3DestinationConfiguration, S3DestinationConfiguration, S3DestinationDescription,
  UpdateDestinationInput, HttpEndpointDestinationConfiguration,
} from '@aws-sdk/client-firehose';
import { invalid, type StoredDestination } from './destination.ts';

export const DESTINATION_ID = 'destinationId-000000000001';

function s3Description(c: S3DestinationConfiguration): S3DestinationDescription {
  return {
    RoleARN: c.RoleARN, BucketARN: c.BucketARN,
    ...(c.Prefix !== undefined ? { Prefix: c.Prefix } : {}),
    ...(c.ErrorOutputPrefix !== undefined ? { ErrorOutputPrefix: c.ErrorOutputPrefix } : {}),
    BufferingHints: { SizeInMBs: c.BufferingHints?.SizeInMBs ?? 5, IntervalInSeconds: c.BufferingHints?.IntervalInSeconds ?? 300 },
    CompressionFormat: c.CompressionFormat ?? 'UNCOMPRESSED',
    EncryptionConfiguration: c.EncryptionConfiguration ?? { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: c.CloudWatchLoggingOptions ?? { Enabled: false },
  };
}

export function describeDestination(d: StoredDestination): DestinationDescription {
  if (d.kind === 's3') {
    const c = d.config;
    const s3 = s3Description(c);
    if (!d.extended) return { DestinationId: DESTINATION_ID, S3DestinationDescription: s3 };
    const { S3BackupConfiguration, ...rest } = c;
    return {
      DestinationId: DESTINATION_ID,
      S3DestinationDescription: s3,
      ExtendedS3DestinationDescription: {
        ...rest, ...s3,
        S3BackupMode: c.S3BackupMode ?? 'Disabled',
        ...(S3BackupConfiguration ? { S3BackupDescription: s3Description(S3BackupConfiguration) } : {}),
        ...(c.ProcessingConfiguration ? {} : { ProcessingConfiguration: { Enabled: false, Processors: [] } }),
      } as never,
    };
  }
  const c = d.config;
  const { S3Configuration, EndpointConfiguration, ...rest } = c;
  return {
    DestinationId: DESTINATION_ID,
    HttpEndpointDestinationDescription: {
      ...rest,
      EndpointConfiguration: { Url: EndpointConfiguration!.Url, ...(EndpointConfiguration!.Name ? { Name: EndpointConfiguration!.Name } : {}) },
      BufferingHints: { SizeInMBs: c.BufferingHints?.SizeInMBs ?? 5, IntervalInSeconds: c.BufferingHints?.IntervalInSeconds ?? 300 },
      CloudWatchLoggingOptions: c.CloudWatchLoggingOptions ?? { Enabled: false },
      RetryOptions: { DurationInSeconds: c.RetryOptions?.DurationInSeconds ?? 300 },
      S3BackupMode: c.S3BackupMode ?? 'FailedDataOnly',
      S3DestinationDescription: s3Description(S3Configuration!),
    } as never,
  };
}

type Update = Omit<UpdateDestinationInput, 'DeliveryStreamName' | 'CurrentDeliveryStreamVersionId' | 'DestinationId'>;

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The stored configuration after an update: members given replace the stored ones. */
export function mergeUpdate(current: StoredDestination, u: Update): StoredDestination {
  const given = Object.entries(u).filter(([, v]) => v !== undefined).map(([k]) => k);
  const other = given.find((k) => k !== 'S3DestinationUpdate' && k !== 'ExtendedS3DestinationUpdate' && k !== 'HttpEndpointDestinationUpdate');
  if (other) throw invalid(`${other} is not supported: Osprey delivers to S3 and HTTP endpoint destinations.`);
  if (given.length !== 1) throw invalid('Exactly one destination update is supported.');
  if (u.HttpEndpointDestinationUpdate) {
    const { S3Update, ...upd } = u.HttpEndpointDestinationUpdate;
    const base: Partial<HttpEndpointDestinationConfiguration> = current.kind === 'http' ? current.config : {};
    const config = { ...base, ...defined(upd) } as HttpEndpointDestinationConfiguration;
    if (S3Update) config.S3Configuration = { ...base.S3Configuration, ...defined(S3Update) } as S3DestinationConfiguration;
    return { kind: 'http', config };
  }
  const upd = (u.ExtendedS3DestinationUpdate ?? u.S3DestinationUpdate)!;
  const base: Partial<ExtendedS3DestinationConfiguration> = current.kind === 's3' ? current.config : {};
  const { S3BackupUpdate, ...rest } = upd as NonNullable<Update['ExtendedS3DestinationUpdate']>;
  const config = { ...base, ...defined(rest) } as ExtendedS3DestinationConfiguration;
  if (S3BackupUpdate) config.S3BackupConfiguration = { ...base.S3BackupConfiguration, ...defined(S3BackupUpdate) } as S3DestinationConfiguration;
  if (base.DynamicPartitioningConfiguration?.Enabled && config.DynamicPartitioningConfiguration?.Enabled === false) {
    throw invalid('Dynamic partitioning cannot be disabled once it is enabled on a Firehose stream.');
  }
  if (!base.DynamicPartitioningConfiguration?.Enabled && config.DynamicPartitioningConfiguration?.Enabled && current.kind === 's3') {
    throw invalid('Dynamic partitioning can only be enabled when the Firehose stream is created.');
  }
  const extended = current.kind === 's3' ? current.extended || u.ExtendedS3DestinationUpdate !== undefined : u.ExtendedS3DestinationUpdate !== undefined;
  return { kind: 's3', extended, config };
}
