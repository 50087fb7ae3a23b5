// A delivery stream's configuration as a read-only table: source, destination and its buffering,
// compression or retries, backup, and error logging.
import type { ReactNode } from 'react';
import type { DeliveryStreamDescription } from '@aws-sdk/client-firehose';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { Link } from '../ui.tsx';
import { destinationOf, sourceOf } from './delivery-api.ts';

export function DeliveryConfig({ desc: d }: { desc: DeliveryStreamDescription }) {
  const dest = d.Destinations?.[0];
  const s3 = dest?.ExtendedS3DestinationDescription ?? dest?.S3DestinationDescription;
  const http = dest?.HttpEndpointDestinationDescription;
  const logging = destinationOf(dest).logging;
  const buffering = s3?.BufferingHints ?? http?.BufferingHints;
  const rows: [string, ReactNode][] = [
    ['ARN', <code key="arn">{d.DeliveryStreamARN}</code>],
    ['Source', sourceOf(d)],
    ['Created', formatTime(d.CreateTimestamp)],
    ['Destination', destinationOf(dest).kind],
    ...(s3 ? [
      ['S3 bucket', <code key="b">{s3.BucketARN}</code>],
      ['Prefix', s3.Prefix || '(none)'],
      ['Error output prefix', s3.ErrorOutputPrefix || '(none)'],
      ['Compression', s3.CompressionFormat],
    ] as [string, ReactNode][] : []),
    ...(http ? [
      ['Endpoint URL', <code key="u">{http.EndpointConfiguration?.Url}</code>],
      ['Endpoint name', http.EndpointConfiguration?.Name || '(none)'],
      ['Retry duration', `${http.RetryOptions?.DurationInSeconds ?? 300} seconds`],
      ['S3 backup', `${http.S3BackupMode === 'AllData' ? 'All data' : 'Failed data only'} to ${http.S3DestinationDescription?.BucketARN ?? '—'}`],
    ] as [string, ReactNode][] : []),
    ['Buffer', buffering ? `${buffering.SizeInMBs ?? 5} MiB or ${buffering.IntervalInSeconds ?? 300} seconds, whichever comes first` : '—'],
    ['Error logging', logging?.Enabled
      ? <Link key="log" to={href('/logs', { group: logging.LogGroupName, stream: logging.LogStreamName })}>{logging.LogGroupName} / {logging.LogStreamName}</Link>
      : 'Disabled'],
  ];
  return (
    <div className="panel">
      <table aria-label="Delivery stream configuration">
        <tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td style={{ wordBreak: 'break-all' }}>{v}</td></tr>)}</tbody>
      </table>
      {d.FailureDescription && <p className="error" role="alert">{d.FailureDescription.Type}: {d.FailureDescription.Details}</p>}
    </div>
  );
}
