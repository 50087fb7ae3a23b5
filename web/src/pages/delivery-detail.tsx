// A delivery stream's page: status and delete, and tabs for monitoring (metrics and delivery errors),
// its configuration, and sending test data.
import { useState } from 'react';
import { DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { navigate, useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, Link, StateBadge, useAsync, useInterval } from '../ui.tsx';
import { describeDeliveryStream, useFirehose } from './delivery-api.ts';
import { DeliveryConfig } from './delivery-config.tsx';
import { DeliveryMonitoring } from './delivery-monitoring.tsx';
import { DeliveryTest } from './delivery-test.tsx';

const TABS = { monitoring: 'Monitoring', configuration: 'Configuration', test: 'Test with demo data' } as const;
type Tab = keyof typeof TABS;

export function DeliveryStreamDetail({ name }: { name: string }) {
  const f = useFirehose();
  const [q, setQ] = useQueryState();
  const [deleting, setDeleting] = useState(false);
  // Refresh re-reads everything on the tab (metrics, error log) by mounting it afresh.
  const [generation, setGeneration] = useState(0);
  const tab: Tab = (q.get('tab') as Tab) in TABS ? (q.get('tab') as Tab) : 'monitoring';
  const desc = useAsync(() => describeDeliveryStream(f, name), [name]);
  useInterval(desc.reload, desc.data?.DeliveryStreamStatus === 'CREATING' ? 2_000 : 0);
  return (
    <>
      <div className="toolbar">
        <Link to="/delivery-streams">Delivery streams</Link> <span className="muted">/</span>
        <h2>{name}</h2>
        {desc.data && <StateBadge state={desc.data.DeliveryStreamStatus} />}
        <span style={{ flex: 1 }} />
        <button type="button" onClick={() => (desc.reload(), setGeneration((g) => g + 1))}>Refresh</button>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>Delete</button>
      </div>
      <div className="range" role="tablist" aria-label="Delivery stream sections" style={{ marginBottom: 12 }}>
        {(Object.keys(TABS) as Tab[]).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''}
            onClick={() => setQ({ tab: t === 'monitoring' ? undefined : t })}>{TABS[t]}</button>
        ))}
      </div>
      <AsyncView state={desc}>
        {(d) => (
          <div role="tabpanel" aria-label={TABS[tab]} key={generation}>
            {tab === 'monitoring' && <DeliveryMonitoring desc={d} />}
            {tab === 'configuration' && <DeliveryConfig desc={d} />}
            {tab === 'test' && <DeliveryTest desc={d} />}
          </div>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title="Delete delivery stream" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await f.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name })), navigate('/delivery-streams'))}>
          Delete <strong>{name}</strong>? Records it has buffered but not yet delivered are lost.
        </ConfirmDialog>
      )}
    </>
  );
}
