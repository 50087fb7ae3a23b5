// Sending test data: one record typed in, or, as AWS's console does, a stream of demo stock-ticker
// records (a PutRecordBatch of five every second) until stopped or the page is left.
import { useState } from 'react';
import { PutRecordBatchCommand, PutRecordCommand, type DeliveryStreamDescription } from '@aws-sdk/client-firehose';
import { formAction } from '../form-action.ts';
import { ErrorBox, Notice, useInterval } from '../ui.tsx';
import { useFirehose } from './delivery-api.ts';

const TICKERS = [['QXZ', 'HEALTHCARE'], ['KIN', 'ENERGY'], ['WMT', 'RETAIL'], ['NGC', 'TECHNOLOGY'], ['ASD', 'FINANCIAL']] as const;
const encoder = new TextEncoder();

function demoRecord(): Uint8Array {
  const [ticker, sector] = TICKERS[Math.floor(Math.random() * TICKERS.length)]!;
  const change = Math.round((Math.random() - 0.5) * 1000) / 100;
  // Newline-delimited, so records stay apart in the delivered objects.
  return encoder.encode(`${JSON.stringify({ ticker_symbol: ticker, sector, change, price: Math.round(Math.random() * 10_000) / 100 })}\n`);
}

export function DeliveryTest({ desc }: { desc: DeliveryStreamDescription }) {
  const fh = useFirehose();
  const name = desc.DeliveryStreamName!;
  const [error, setError] = useState<unknown>();
  const [put, setPut] = useState<string>();
  const [demo, setDemo] = useState(false);
  const [sent, setSent] = useState(0);
  const direct = desc.DeliveryStreamType === 'DirectPut';
  useInterval(() => {
    void fh.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: Array.from({ length: 5 }, () => ({ Data: demoRecord() })) })).then(
      (r) => setSent((n) => n + 5 - (r.FailedPutCount ?? 0)),
      (e) => (setError(e), setDemo(false)),
    );
  }, demo ? 1_000 : 0);
  const submit = formAction((e) => (setError(e), setPut(undefined)))(
    async (f) => (await fh.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: encoder.encode(String(f.get('data') ?? '')) } }))).RecordId,
    (id) => setPut(`Put record ${id}`),
  );
  if (!direct) {
    return <div className="panel"><p className="muted">This stream reads from a Kinesis data stream: put test records there (the Data streams page) instead.</p></div>;
  }
  return (
    <>
      <div className="panel">
        <h3>Demo data</h3>
        <p className="hint">Sends stock-ticker JSON records to the stream every second; they reach the destination when the buffer fills or its interval ends.</p>
        <div className="toolbar">
          <button type="button" className={demo ? '' : 'primary'} onClick={() => (setError(undefined), setDemo(!demo))}>{demo ? 'Stop sending demo data' : 'Start sending demo data'}</button>
          <span role="status">{sent} demo records sent</span>
        </div>
      </div>
      <form className="panel form" aria-label="Put record" onSubmit={submit} style={{ maxWidth: 'none' }}>
        <h3>Put a record</h3>
        <label>Data <textarea name="data" rows={3} required placeholder='{"hello": "world"}' /></label>
        <p className="hint">Sent as is: add a trailing newline to keep records apart in the delivered object.</p>
        <div><button type="submit" className="primary">Put record</button></div>
      </form>
      <ErrorBox error={error} />
      {put && <Notice>{put}</Notice>}
    </>
  );
}
