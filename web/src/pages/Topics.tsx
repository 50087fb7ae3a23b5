// SNS topics and their subscriptions, with create / subscribe / publish for quick checks, and
// unsubscribe / delete behind an in-page confirmation.
import { useState } from 'react';
import {
  paginateListTopics, ListSubscriptionsByTopicCommand, CreateTopicCommand, DeleteTopicCommand, SubscribeCommand, UnsubscribeCommand,
  PublishCommand,
} from '@aws-sdk/client-sns';
import { useSession } from '../app-context.ts';
import { formAction } from '../form-action.ts';
import { collect } from '../aws.ts';
import { useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Notice, useAsync } from '../ui.tsx';

export default function Topics() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const selected = q.get('topic') ?? '';
  const [error, setError] = useState<unknown>();
  const [deleted, setDeleted] = useState<string>();
  const act = formAction(setError);
  const topics = useAsync(() => collect(paginateListTopics({ client: c.sns }, {}), (r) => r.Topics), []);
  return (
    <>
      <div className="toolbar">
        <h2>Topics</h2>
        <form className="toolbar" style={{ margin: 0 }} onSubmit={act((f) => c.sns.send(new CreateTopicCommand({ Name: String(f.get('name')) })), topics.reload)}>
          <input name="name" aria-label="New topic name" placeholder="New topic name" required />
          <button type="submit">Create topic</button>
        </form>
      </div>
      <ErrorBox error={error} />
      {deleted && <Notice>Deleted topic {deleted}</Notice>}
      <div className="cols">
        <div className="panel">
          <AsyncView state={topics} isEmpty={(t) => t.length === 0} empty="No topics.">
            {(t) => (
              <ul className="list" aria-label="Topics">
                {t.map((x) => (
                  <li key={x.TopicArn}><a href="#" style={{ fontWeight: x.TopicArn === selected ? 600 : undefined }}
                    onClick={(e) => (e.preventDefault(), setDeleted(undefined), setQ({ topic: x.TopicArn }, true))}>{x.TopicArn!.split(':').pop()}</a></li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
        <div className="panel">
          {!selected ? <div className="muted">Select a topic to see its subscriptions.</div> : (
            <TopicDetail key={selected} arn={selected} onDeleted={() => (setDeleted(selected.split(':').pop()), setQ({ topic: undefined }), topics.reload())} />
          )}
        </div>
      </div>
    </>
  );
}

type Pending = { kind: 'delete' } | { kind: 'unsubscribe'; arn: string };

function TopicDetail({ arn, onDeleted }: { arn: string; onDeleted: () => void }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [published, setPublished] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const act = formAction((e) => (setError(e), setPublished(undefined)));
  const subs = useAsync(async () => (await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions ?? [], [arn]);
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1, wordBreak: 'break-all' }}>{arn}</h3>
        <button type="button" className="danger" onClick={() => setPending({ kind: 'delete' })}>Delete topic</button>
      </div>
      <AsyncView state={subs} isEmpty={(s) => s.length === 0} empty="No subscriptions.">
        {(s) => (
          <table aria-label="Subscriptions">
            <thead><tr><th>Protocol</th><th>Endpoint</th><th>Subscription ARN</th><th /></tr></thead>
            <tbody>{s.map((x, i) => (
              <tr key={`${x.SubscriptionArn}-${i}`}>
                <td>{x.Protocol}</td><td className="msg">{x.Endpoint}</td><td className="msg">{x.SubscriptionArn}</td>
                <td>
                  {/* A pending subscription has no ARN yet: AWS cannot unsubscribe it either (it expires after 3 days). */}
                  <button type="button" aria-label={`Unsubscribe ${x.SubscriptionArn}`} disabled={x.SubscriptionArn === 'PendingConfirmation'}
                    onClick={() => setPending({ kind: 'unsubscribe', arn: x.SubscriptionArn! })}>Unsubscribe</button>
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      <form className="toolbar" style={{ marginTop: 8 }} onSubmit={act((f) => c.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: String(f.get('protocol')), Endpoint: String(f.get('endpoint')) })), subs.reload)}>
        <select name="protocol" aria-label="Protocol">{['https', 'http', 'email', 'email-json', 'lambda', 'sqs', 'slack'].map((p) => <option key={p}>{p}</option>)}</select>
        <input name="endpoint" aria-label="Endpoint" placeholder="Endpoint" required />
        <button type="submit">Subscribe</button>
      </form>
      <form className="toolbar" onSubmit={act((f) => (setPublished(undefined), c.sns.send(new PublishCommand({ TopicArn: arn, Message: String(f.get('message')) }))), (r) => setPublished(r.MessageId))}>
        <input name="message" aria-label="Message" placeholder="Test message" required style={{ flex: 1 }} />
        <button type="submit">Publish</button>
      </form>
      {published && <Notice>Published · MessageId {published}</Notice>}
      <ErrorBox error={error} />
      {pending?.kind === 'delete' && (
        <ConfirmDialog title="Delete topic" action="Delete" onClose={() => setPending(undefined)}
          onConfirm={async () => (await c.sns.send(new DeleteTopicCommand({ TopicArn: arn })), onDeleted())}>
          Delete <strong>{arn.split(':').pop()}</strong> and its subscriptions? Messages can no longer be published to it.
        </ConfirmDialog>
      )}
      {pending?.kind === 'unsubscribe' && (
        <ConfirmDialog title="Unsubscribe" action="Unsubscribe" onClose={() => setPending(undefined)}
          onConfirm={async () => (await c.sns.send(new UnsubscribeCommand({ SubscriptionArn: pending.arn })), subs.reload())}>
          Stop delivering this topic's messages to <code>{pending.arn}</code>?
        </ConfirmDialog>
      )}
    </>
  );
}
