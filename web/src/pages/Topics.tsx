// SNS topics and their subscriptions, with create / subscribe / publish for quick checks.
import { useState, type FormEvent } from 'react';
import { paginateListTopics, ListSubscriptionsByTopicCommand, CreateTopicCommand, SubscribeCommand, PublishCommand } from '@aws-sdk/client-sns';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { useQueryState } from '../router.ts';
import { AsyncView, ErrorBox, useAsync } from '../ui.tsx';

export default function Topics() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const selected = q.get('topic') ?? '';
  const [error, setError] = useState<unknown>();
  const topics = useAsync(() => collect(paginateListTopics({ client: c.sns }, {}), (r) => r.Topics), []);
  const subs = useAsync(async () => (selected ? (await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: selected }))).Subscriptions ?? [] : []), [selected]);

  const act = (fn: (f: FormData) => Promise<unknown>, after: () => void) => async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setError(undefined);
    try {
      await fn(new FormData(form));
      form.reset();
      after();
    } catch (err) {
      setError(err);
    }
  };
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
      <div className="cols">
        <div className="panel">
          <AsyncView state={topics} isEmpty={(t) => t.length === 0} empty="No topics.">
            {(t) => (
              <ul className="list" aria-label="Topics">
                {t.map((x) => (
                  <li key={x.TopicArn}><a href="#" style={{ fontWeight: x.TopicArn === selected ? 600 : undefined }}
                    onClick={(e) => (e.preventDefault(), setQ({ topic: x.TopicArn }, true))}>{x.TopicArn!.split(':').pop()}</a></li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
        <div className="panel">
          {!selected ? <div className="muted">Select a topic to see its subscriptions.</div> : (
            <>
              <h3>{selected}</h3>
              <AsyncView state={subs} isEmpty={(s) => s.length === 0} empty="No subscriptions.">
                {(s) => (
                  <table aria-label="Subscriptions">
                    <thead><tr><th>Protocol</th><th>Endpoint</th><th>Subscription ARN</th></tr></thead>
                    <tbody>{s.map((x) => <tr key={x.SubscriptionArn}><td>{x.Protocol}</td><td>{x.Endpoint}</td><td className="msg">{x.SubscriptionArn}</td></tr>)}</tbody>
                  </table>
                )}
              </AsyncView>
              <form className="toolbar" style={{ marginTop: 8 }} onSubmit={act((f) => c.sns.send(new SubscribeCommand({ TopicArn: selected, Protocol: String(f.get('protocol')), Endpoint: String(f.get('endpoint')) })), subs.reload)}>
                <select name="protocol" aria-label="Protocol">{['https', 'http', 'email', 'email-json', 'lambda', 'slack'].map((p) => <option key={p}>{p}</option>)}</select>
                <input name="endpoint" aria-label="Endpoint" placeholder="Endpoint" required />
                <button type="submit">Subscribe</button>
              </form>
              <form className="toolbar" onSubmit={act((f) => c.sns.send(new PublishCommand({ TopicArn: selected, Message: String(f.get('message')) })), () => undefined)}>
                <input name="message" aria-label="Message" placeholder="Test message" required style={{ flex: 1 }} />
                <button type="submit">Publish</button>
              </form>
            </>
          )}
        </div>
      </div>
    </>
  );
}
