// Amazon Data Firehose as the Delivery streams page reads it: the client (made on first use), each
// delivery stream's description, and what a description says about its source and destination.
import {
  DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand,
  type CloudWatchLoggingOptions, type DeliveryStreamDescription, type DestinationDescription,
} from '@aws-sdk/client-firehose';
import type { ClientConfig } from '../aws.ts';
import { usePageClient } from '../page-client.ts';

const makeFirehose = (cfg: ClientConfig) => new FirehoseClient(cfg);

export const useFirehose = (): FirehoseClient => usePageClient(makeFirehose);

export async function describeDeliveryStream(f: FirehoseClient, name: string): Promise<DeliveryStreamDescription> {
  return (await f.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!;
}

/** Every delivery stream of the account and region, described (ListDeliveryStreams pages by the last name seen). */
export async function listDeliveryStreams(f: FirehoseClient): Promise<DeliveryStreamDescription[]> {
  const names: string[] = [];
  for (;;) {
    const r = await f.send(new ListDeliveryStreamsCommand({ Limit: 100, ExclusiveStartDeliveryStreamName: names.at(-1) }));
    names.push(...(r.DeliveryStreamNames ?? []));
    if (!r.HasMoreDeliveryStreams || !r.DeliveryStreamNames?.length) break;
  }
  const out = await Promise.all(names.map((n) => describeDeliveryStream(f, n).catch(() => undefined)));
  return out.filter((d): d is DeliveryStreamDescription => d !== undefined);
}

export const sourceOf = (d: DeliveryStreamDescription): string =>
  d.DeliveryStreamType === 'KinesisStreamAsSource'
    ? `Kinesis data stream ${d.Source?.KinesisStreamSourceDescription?.KinesisStreamARN?.split('/').pop() ?? ''}`
    : d.DeliveryStreamType === 'DirectPut' ? 'Direct PUT' : (d.DeliveryStreamType ?? '—');

export interface Destination {
  /** Where CloudWatch puts this destination's metrics: DeliveryTo<metricPart>.Records … */
  metricPart: 'S3' | 'HttpEndpoint' | undefined;
  kind: string;
  /** The bucket, or the endpoint's URL. */
  target: string;
  logging?: CloudWatchLoggingOptions;
}

const bucketName = (arn: string | undefined): string => arn?.replace(/^arn:[^:]+:s3:::/, '') ?? '';

export function destinationOf(d: DestinationDescription | undefined): Destination {
  const s3 = d?.ExtendedS3DestinationDescription ?? d?.S3DestinationDescription;
  if (s3) return { metricPart: 'S3', kind: 'Amazon S3', target: bucketName(s3.BucketARN), logging: s3.CloudWatchLoggingOptions };
  const http = d?.HttpEndpointDestinationDescription;
  if (http) {
    return { metricPart: 'HttpEndpoint', kind: 'HTTP endpoint', target: http.EndpointConfiguration?.Url ?? '', logging: http.CloudWatchLoggingOptions };
  }
  return { metricPart: undefined, kind: d ? Object.keys(d).find((k) => k.endsWith('Description'))?.replace(/DestinationDescription$/, '') ?? '—' : '—', target: '' };
}
