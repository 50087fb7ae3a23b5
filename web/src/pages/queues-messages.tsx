// "Send and receive": the send form and the receive panel side by side, for trying a queue out.
import { ReceivePanel } from './queues-receive.tsx';
import { SendForm } from './queues-send.tsx';
import type { Attributes } from './queues-api.ts';

export function SendReceive({ url, attrs, onChange }: { url: string; attrs: Attributes; onChange: () => void }) {
  return (
    <>
      <p className="muted">
        {attrs.ApproximateNumberOfMessages ?? 0} available · {attrs.ApproximateNumberOfMessagesNotVisible ?? 0} in flight · {attrs.ApproximateNumberOfMessagesDelayed ?? 0} delayed
      </p>
      <SendForm url={url} attrs={attrs} onSent={onChange} />
      <ReceivePanel url={url} onChange={onChange} />
    </>
  );
}
