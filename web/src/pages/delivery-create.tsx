// The create form: name, source (Direct PUT or a Kinesis data stream), destination (S3 with prefix,
// error prefix, buffering and compression; or an HTTP endpoint with URL, access key, buffering and
// retry duration), the role Firehose assumes, and error logging.
import { useState } from 'react';
import { CreateLogGroupCommand, CreateLogStreamCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeliveryStreamCommand, type CloudWatchLoggingOptions } from '@aws-sdk/client-firehose';
import { useSession } from '../app-context.ts';
import { formAction } from '../form-action.ts';
import { ErrorBox, Notice, useAsync } from '../ui.tsx';
import { listStreams, useKinesis } from './streams-api.ts';
import { useFirehose } from './delivery-api.ts';
import { createInput, type DestinationKind, type SourceKind } from './delivery-create-input.ts';

const COMPRESSION = ['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'];

/**
 * Firehose writes error logs into an existing group and stream; AWS's console creates them with the
 * delivery stream, and so does this one (an existing group or stream is fine).
 */
async function ensureLogStream(logs: CloudWatchLogsClient, o: CloudWatchLoggingOptions | undefined): Promise<void> {
  if (!o?.Enabled || !o.LogGroupName || !o.LogStreamName) return;
  const exists = (e: unknown) => {
    if ((e as { name?: string }).name !== 'ResourceAlreadyExistsException') throw e;
  };
  await logs.send(new CreateLogGroupCommand({ logGroupName: o.LogGroupName })).catch(exists);
  await logs.send(new CreateLogStreamCommand({ logGroupName: o.LogGroupName, logStreamName: o.LogStreamName })).catch(exists);
}

function Choice<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  return (
    <div className="toolbar" role="radiogroup" aria-label={label}>
      <span className="muted">{label}:</span>
      {options.map(([v, text]) => (
        <label key={v}><span><input type="radio" name={label} checked={value === v} onChange={() => onChange(v)} /> {text}</span></label>
      ))}
    </div>
  );
}

/** The source stream's ARN, offering the account's data streams (typing any ARN still works). */
function KinesisSourceField() {
  const k = useKinesis();
  const streams = useAsync(() => listStreams(k).catch(() => []), [k]);
  return (
    <label>Kinesis data stream ARN
      <input name="kinesisArn" required list="kinesis-streams" placeholder="arn:aws:kinesis:us-east-1:123456789012:stream/orders" />
      <datalist id="kinesis-streams">{(streams.data ?? []).map((s) => <option key={s.StreamARN} value={s.StreamARN}>{s.StreamName}</option>)}</datalist>
    </label>
  );
}

export function CreateDeliveryStreamForm({ onCreated }: { onCreated: () => void }) {
  const fh = useFirehose();
  const { logs } = useSession();
  const [source, setSource] = useState<SourceKind>('DirectPut');
  const [destination, setDestination] = useState<DestinationKind>('s3');
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const submit = formAction((e) => (setError(e), setCreated(undefined)))(async (f) => {
    const input = createInput(f, source, destination);
    await ensureLogStream(logs, (input.ExtendedS3DestinationConfiguration ?? input.HttpEndpointDestinationConfiguration)?.CloudWatchLoggingOptions);
    await fh.send(new CreateDeliveryStreamCommand(input));
    return input.DeliveryStreamName!;
  }, (name) => (setCreated(name), onCreated()));
  const s3 = destination === 's3';
  return (
    <form className="panel form" aria-label="Create delivery stream" onSubmit={submit}>
      <h3>Create delivery stream</h3>
      <label>Name <input name="name" required maxLength={64} pattern="[a-zA-Z0-9_.\-]+" /></label>
      <Choice label="Source" value={source} onChange={setSource} options={[['DirectPut', 'Direct PUT'], ['KinesisStreamAsSource', 'Kinesis data stream']]} />
      {source === 'KinesisStreamAsSource' && <KinesisSourceField />}
      <Choice label="Destination" value={destination} onChange={setDestination} options={[['s3', 'Amazon S3'], ['http', 'HTTP endpoint']]} />
      {s3 ? (
        <>
          <label>S3 bucket (name or ARN) <input name="bucket" required /></label>
          <div className="row">
            <label>Prefix <input name="prefix" placeholder="logs/!{timestamp:yyyy/MM/dd}/" /></label>
            <label>Error output prefix <input name="errorPrefix" placeholder="errors/!{firehose:error-output-type}/" /></label>
          </div>
        </>
      ) : (
        <>
          <label>HTTP endpoint URL <input name="url" type="url" required pattern="https://.*|http://.*" placeholder="https://example.com/ingest" /></label>
          <div className="row">
            <label>Endpoint name <input name="endpointName" /></label>
            <label>Access key <input name="accessKey" type="password" autoComplete="off" /></label>
          </div>
          <div className="row">
            <label>Backup S3 bucket (name or ARN) <input name="backupBucket" required /></label>
            <label>Back up <select name="backupMode"><option value="FailedDataOnly">Failed data only</option><option value="AllData">All data</option></select></label>
          </div>
        </>
      )}
      <div className="row">
        <label>Buffer size (MiB) <input name="bufferMb" type="number" min={1} max={s3 ? 128 : 64} defaultValue={5} key={`mb${destination}`} /></label>
        <label>Buffer interval (seconds) <input name="bufferSeconds" type="number" min={0} max={900} defaultValue={300} /></label>
        {s3
          ? <label>Compression <select name="compression">{COMPRESSION.map((c) => <option key={c}>{c}</option>)}</select></label>
          : <label>Retry duration (seconds) <input name="retrySeconds" type="number" min={0} max={7200} defaultValue={300} /></label>}
      </div>
      <label>IAM role ARN <input name="role" required placeholder="arn:aws:iam::123456789012:role/firehose-delivery" /></label>
      <label><span><input type="checkbox" name="logging" defaultChecked /> Log delivery errors to CloudWatch Logs (creates the group /aws/kinesisfirehose/&lt;name&gt; and its stream DestinationDelivery)</span></label>
      <ErrorBox error={error} />
      {created && <Notice>Creating delivery stream {created}</Notice>}
      <div><button type="submit" className="primary">Create delivery stream</button></div>
    </form>
  );
}
