// Kinesis data streams: the list (status, capacity mode, open shards, retention; delete behind a
// confirmation) with a create form, and a stream's page (data viewer, shards, configuration).
// The URL holds `stream` (its name) and `tab`.
import { useQueryState } from '../router.ts';
import { useAsync, useInterval } from '../ui.tsx';
import { listStreams, useKinesis } from './streams-api.ts';
import { CreateStreamForm } from './streams-create.tsx';
import { StreamDetail } from './streams-detail.tsx';
import { StreamList } from './streams-list.tsx';

export default function Streams() {
  const [q] = useQueryState();
  const stream = q.get('stream');
  return stream ? <StreamDetail key={stream} name={stream} /> : <StreamsHome />;
}

function StreamsHome() {
  const k = useKinesis();
  const streams = useAsync(() => listStreams(k), [k]);
  // A new or resharding stream turns ACTIVE on its own; refresh quickly until none is in transition.
  const settling = streams.data?.some((s) => s.StreamStatus !== 'ACTIVE') ?? false;
  useInterval(streams.reload, settling ? 2_000 : 30_000);
  return (
    <>
      <div className="toolbar">
        <h2>Data streams</h2>
        <button type="button" onClick={streams.reload}>Refresh</button>
      </div>
      <StreamList streams={streams} />
      <CreateStreamForm onCreated={streams.reload} />
    </>
  );
}
