// Firehose delivery streams: the list (status, source, destination; delete behind a confirmation)
// with a create form (Direct PUT or a Kinesis data stream, to S3 or an HTTP endpoint), and a stream's
// page (configuration, test data, monitoring). The URL holds `stream` (its name) and `tab`.
import { useQueryState } from '../router.ts';
import { useAsync, useInterval } from '../ui.tsx';
import { listDeliveryStreams, useFirehose } from './delivery-api.ts';
import { CreateDeliveryStreamForm } from './delivery-create.tsx';
import { DeliveryStreamDetail } from './delivery-detail.tsx';
import { DeliveryStreamList } from './delivery-list.tsx';

export default function DeliveryStreams() {
  const [q] = useQueryState();
  const stream = q.get('stream');
  return stream ? <DeliveryStreamDetail key={stream} name={stream} /> : <DeliveryStreamsHome />;
}

function DeliveryStreamsHome() {
  const f = useFirehose();
  const streams = useAsync(() => listDeliveryStreams(f), [f]);
  // A new stream is CREATING for a moment; refresh quickly until every stream settled.
  const settling = streams.data?.some((s) => s.DeliveryStreamStatus === 'CREATING' || s.DeliveryStreamStatus === 'DELETING') ?? false;
  useInterval(streams.reload, settling ? 2_000 : 30_000);
  return (
    <>
      <div className="toolbar">
        <h2>Delivery streams</h2>
        <button type="button" onClick={streams.reload}>Refresh</button>
      </div>
      <DeliveryStreamList streams={streams} />
      <CreateDeliveryStreamForm onCreated={streams.reload} />
    </>
  );
}
