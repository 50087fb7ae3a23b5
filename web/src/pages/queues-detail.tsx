// A queue's page: its name, URL and ARN, purge / delete, and tabs for details, send and receive,
// access policy, tags, the dead-letter settings and (on a queue other queues use as their DLQ) DLQ redrive.
import { useState, type ReactNode } from 'react';
import { href, navigate, useQueryState } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, ErrorBox, Link, useAsync } from '../ui.tsx';
import { duration, epoch, isFifo, listSourceQueues, queueAttributes, queueName, redrivePolicy, useSqs, type Attributes } from './queues-api.ts';
import { QueueActionDialog, type QueueAction } from './queues-actions.tsx';
import { EditQueueForm } from './queues-edit.tsx';
import { SendReceive } from './queues-messages.tsx';
import { PolicyTab } from './queues-policy.tsx';
import { TagsTab } from './queues-tags.tsx';
import { DeadLetterTab } from './queues-dlq.tsx';
import { RedriveTab } from './queues-redrive.tsx';

const TABS = { details: 'Details', messages: 'Send and receive', policy: 'Access policy', tags: 'Tags', dlq: 'Dead-letter queue', redrive: 'DLQ redrive' } as const;
type Tab = keyof typeof TABS;

export function QueueDetail({ url }: { url: string }) {
  const sqs = useSqs();
  const [q, setQ] = useQueryState();
  const [pending, setPending] = useState<QueueAction>();
  const attrs = useAsync(() => queueAttributes(sqs, url), [url]);
  const sources = useAsync(() => listSourceQueues(sqs, url), [url]);
  const isDlq = (sources.data?.length ?? 0) > 0;
  const tabs = (Object.keys(TABS) as Tab[]).filter((t) => t !== 'redrive' || isDlq);
  const tab: Tab = tabs.includes(q.get('tab') as Tab) ? (q.get('tab') as Tab) : 'details';
  const name = queueName(url);
  return (
    <>
      <div className="toolbar">
        <Link to="/queues">Queues</Link> <span className="muted">/</span>
        <h2>{name}</h2>
        <span className="spacer" style={{ flex: 1 }} />
        <button type="button" onClick={attrs.reload}>Refresh</button>
        <button type="button" onClick={() => setPending({ kind: 'purge', url })}>Purge</button>
        <button type="button" className="danger" onClick={() => setPending({ kind: 'delete', url })}>Delete</button>
      </div>
      <div className="range" role="tablist" aria-label="Queue sections" style={{ marginBottom: 12 }}>
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''}
            onClick={() => setQ({ tab: t === 'details' ? undefined : t })}>{TABS[t]}</button>
        ))}
      </div>
      <ErrorBox error={sources.error} />
      <AsyncView state={attrs}>
        {(a) => (
          <div role="tabpanel" aria-label={TABS[tab]}>
            {tab === 'details' && <><Details url={url} attrs={a} /><EditQueueForm url={url} attrs={a} onSaved={attrs.reload} /></>}
            {tab === 'messages' && <SendReceive url={url} attrs={a} onChange={attrs.reload} />}
            {tab === 'policy' && <PolicyTab url={url} policy={a.Policy} onSaved={attrs.reload} />}
            {tab === 'tags' && <TagsTab url={url} />}
            {tab === 'dlq' && <DeadLetterTab url={url} attrs={a} onSaved={attrs.reload} />}
            {tab === 'redrive' && <RedriveTab arn={a.QueueArn ?? ''} sources={sources.data ?? []} onMoved={attrs.reload} />}
          </div>
        )}
      </AsyncView>
      {pending && (
        <QueueActionDialog action={pending} onClose={() => setPending(undefined)}
          onDone={(a) => (a.kind === 'delete' ? navigate('/queues') : attrs.reload())} />
      )}
    </>
  );
}

function Details({ url, attrs: a }: { url: string; attrs: Attributes }) {
  const dlq = redrivePolicy(a);
  const rows: [string, ReactNode][] = [
    ['Type', isFifo(a) ? 'FIFO' : 'Standard'],
    ['URL', <code key="u">{url}</code>],
    ['ARN', <code key="a">{a.QueueArn}</code>],
    ['Messages available', a.ApproximateNumberOfMessages],
    ['Messages in flight', a.ApproximateNumberOfMessagesNotVisible],
    ['Messages delayed', a.ApproximateNumberOfMessagesDelayed],
    ['Visibility timeout', duration(a.VisibilityTimeout)],
    ['Message retention period', duration(a.MessageRetentionPeriod)],
    ['Delivery delay', duration(a.DelaySeconds)],
    ['Receive message wait time', duration(a.ReceiveMessageWaitTimeSeconds)],
    ['Maximum message size', `${Math.round(Number(a.MaximumMessageSize ?? 0) / 1024)} KiB`],
    ...(isFifo(a) ? [['Content-based deduplication', a.ContentBasedDeduplication === 'true' ? 'Enabled' : 'Disabled'] as [string, string]] : []),
    ['Dead-letter queue', dlq
      ? <span key="d"><Link to={href('/queues', { queue: url.replace(/[^/]+$/, queueName(dlq.deadLetterTargetArn)) })}>{queueName(dlq.deadLetterTargetArn)}</Link> after {dlq.maxReceiveCount} receives</span>
      : 'None'],
    ['Encryption', a.SqsManagedSseEnabled === 'true' ? 'SSE-SQS' : a.KmsMasterKeyId ? `SSE-KMS (${a.KmsMasterKeyId})` : 'None'],
    ['Created', formatTime(epoch(a.CreatedTimestamp, 's'))],
    ['Last updated', formatTime(epoch(a.LastModifiedTimestamp, 's'))],
  ];
  return (
    <div className="panel">
      <table aria-label="Queue details">
        <tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody>
      </table>
    </div>
  );
}
