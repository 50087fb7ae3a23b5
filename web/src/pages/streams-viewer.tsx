// The data viewer: pick a shard and a starting position, then GetShardIterator and GetRecords —
// once, or following the shard with a call a second (under the 5 reads/s a shard allows) — and the
// records as they come; plus a form to put a test record.
import { useEffect, useRef, useState } from 'react';
import { GetRecordsCommand, GetShardIteratorCommand, type _Record, type GetShardIteratorInput, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { fromInputValue, toInputValue } from '../time.ts';
import { AsyncView, ErrorBox, useAsync } from '../ui.tsx';
import { isOpen, listShards, useKinesis } from './streams-api.ts';
import { PutRecordForm } from './streams-put.tsx';
import { RecordTable } from './streams-records.tsx';

const POSITIONS: ShardIteratorType[] = ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP', 'AT_SEQUENCE_NUMBER'];
const POLL_MS = 1_000;
/** The viewer keeps the newest records only, so a busy shard cannot grow the page without bound. */
const KEEP = 1_000;
/** Calls a "Get records" makes while the shard has records but the iterator is still behind them. */
const CATCH_UP_CALLS = 5;

export function DataViewer({ name }: { name: string }) {
  const k = useKinesis();
  const shards = useAsync(() => listShards(k, name), [name]);
  const [shard, setShard] = useState('');
  const [position, setPosition] = useState<ShardIteratorType>('TRIM_HORIZON');
  const [at, setAt] = useState('');
  const [follow, setFollow] = useState(false);
  const [records, setRecords] = useState<_Record[]>();
  const [lag, setLag] = useState<number>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const session = useRef(0);
  useEffect(() => () => void (session.current += 1), []);
  const chosen = shard || shards.data?.find(isOpen)?.ShardId || shards.data?.[0]?.ShardId || '';

  const read = async () => {
    const me = ++session.current;
    setRunning(true);
    setError(undefined);
    setRecords([]);
    try {
      const input: GetShardIteratorInput = { StreamName: name, ShardId: chosen, ShardIteratorType: position };
      if (position === 'AT_TIMESTAMP') input.Timestamp = at ? fromInputValue(at) : new Date();
      if (position === 'AT_SEQUENCE_NUMBER') input.StartingSequenceNumber = at;
      let iterator = (await k.send(new GetShardIteratorCommand(input))).ShardIterator;
      for (let call = 0; iterator && session.current === me; call++) {
        const r = await k.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 500 }));
        if (session.current !== me) break;
        setRecords((old) => [...(old ?? []), ...(r.Records ?? [])].slice(-KEEP));
        setLag(r.MillisBehindLatest);
        iterator = r.NextShardIterator;
        const caughtUp = (r.Records?.length ?? 0) > 0 || r.MillisBehindLatest === 0 || call + 1 >= CATCH_UP_CALLS;
        if (!follow && caughtUp) break;
        await new Promise((res) => setTimeout(res, POLL_MS));
      }
    } catch (e) {
      if (session.current === me) setError(e);
    } finally {
      if (session.current === me) setRunning(false);
    }
  };
  const stop = () => {
    session.current += 1;
    setRunning(false);
  };
  return (
    <>
      <div className="panel">
        <AsyncView state={shards} isEmpty={(s) => s.length === 0} empty="The stream has no shards yet.">
          {(list) => (
            <form className="toolbar" aria-label="Data viewer" onSubmit={(e) => (e.preventDefault(), void read())}>
              <label>Shard <select value={chosen} onChange={(e) => setShard(e.target.value)}>
                {list.map((s) => <option key={s.ShardId} value={s.ShardId}>{s.ShardId}{isOpen(s) ? '' : ' (closed)'}</option>)}
              </select></label>
              <label>Starting position <select value={position} onChange={(e) => (setPosition(e.target.value as ShardIteratorType), setAt(''))}>
                {POSITIONS.map((p) => <option key={p}>{p}</option>)}
              </select></label>
              {position === 'AT_TIMESTAMP' && (
                <label>Start time <input type="datetime-local" step={1} required value={at || toInputValue(new Date(Date.now() - 3_600_000))} onChange={(e) => setAt(e.target.value)} /></label>
              )}
              {position === 'AT_SEQUENCE_NUMBER' && (
                <label>Sequence number <input required pattern="\d+" value={at} onChange={(e) => setAt(e.target.value)} style={{ width: 360 }} /></label>
              )}
              <label><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Keep polling</label>
              <button type="submit" className="primary" disabled={running}>{running && follow ? 'Polling…' : 'Get records'}</button>
              {running && <button type="button" onClick={stop}>Stop</button>}
            </form>
          )}
        </AsyncView>
        <ErrorBox error={error} />
        {lag !== undefined && <p className="hint">{lag === 0 ? 'At the tip of the shard.' : `${Math.round(lag / 1000)} s behind the tip of the shard.`}</p>}
        {records && <RecordTable records={records} />}
      </div>
      <PutRecordForm name={name} />
    </>
  );
}
