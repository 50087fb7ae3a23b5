// Records as the data viewer lists them: partition key, sequence number, arrival time, and the data
// decoded (gzip inflated, UTF-8 text, JSON pretty-printed, else base64) with a note when it was.
import { type _Record } from '@aws-sdk/client-kinesis';
import { formatTime } from '../time.ts';
import { Empty, useAsync } from '../ui.tsx';
import { decodeRecord } from './streams-decode.ts';

export function RecordTable({ records }: { records: _Record[] }) {
  if (records.length === 0) return <Empty>No records at this position yet.</Empty>;
  return (
    <table aria-label="Records">
      <thead><tr><th>Partition key</th><th>Sequence number</th><th>Arrival time</th><th>Data</th></tr></thead>
      <tbody>{records.map((r) => (
        <tr key={r.SequenceNumber}>
          <td className="msg">{r.PartitionKey}</td>
          <td className="msg">{r.SequenceNumber}</td>
          <td>{formatTime(r.ApproximateArrivalTimestamp, true)}</td>
          <td><RecordData data={r.Data} /></td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function RecordData({ data }: { data: Uint8Array | undefined }) {
  const d = useAsync(() => decodeRecord(data ?? new Uint8Array()), [data]);
  if (!d.data) return null;
  const notes = [d.data.gzip && 'gzip-compressed; shown decompressed', d.data.kind === 'binary' && 'binary; shown as base64'].filter(Boolean);
  return (
    <>
      {notes.length > 0 && <div className="hint">{notes.join(' · ')} ({data?.length ?? 0} bytes)</div>}
      <pre style={{ margin: 0, maxHeight: 240, overflow: 'auto' }}>{d.data.text}</pre>
    </>
  );
}
