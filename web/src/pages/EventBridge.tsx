// EventBridge: event buses (create / delete custom buses, ARN and resource policy), and per bus its
// rules (with targets and, for scheduled rules, the next fire times), archives and replays, a
// "send test event" form and the discovered schemas. The URL holds bus, tab, rule and edit.
import { useState } from 'react';
import { CreateEventBusCommand, DeleteEventBusCommand, DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { formAction, field } from '../form-action.ts';
import { useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Loading, Notice, useAsync } from '../ui.tsx';
import { DEFAULT_BUS, listBuses, prettyJson } from './events-api.ts';
import { RulesTab } from './events-rules.tsx';
import { ArchivesTab } from './events-archives.tsx';
import { SendEventForm } from './events-send.tsx';
import { SchemasTab } from './events-schemas.tsx';

const TABS = { rules: 'Rules', archives: 'Archives & replays', send: 'Send test event', schemas: 'Schemas' } as const;
type Tab = keyof typeof TABS;

export default function EventBridge() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const bus = q.get('bus') || DEFAULT_BUS;
  const [error, setError] = useState<unknown>();
  const [deleted, setDeleted] = useState<string>();
  const act = formAction(setError);
  const buses = useAsync(() => listBuses(c.events), []);
  const select = (name: string) => (setDeleted(undefined), setQ({ bus: name, rule: undefined, edit: undefined }, true));
  return (
    <>
      <div className="toolbar">
        <h2>EventBridge</h2>
        <form className="toolbar" style={{ margin: 0 }} aria-label="Create event bus"
          onSubmit={act((f) => c.events.send(new CreateEventBusCommand({ Name: field(f, 'name') })), () => buses.reload())}>
          <input name="name" aria-label="New event bus name" placeholder="New event bus name" required />
          <button type="submit">Create event bus</button>
        </form>
      </div>
      <ErrorBox error={error} />
      {deleted && <Notice>Deleted event bus {deleted}</Notice>}
      <div className="cols">
        <div className="panel">
          <h3>Event buses</h3>
          <AsyncView state={buses} isEmpty={(b) => b.length === 0} empty="No event buses.">
            {(list) => (
              <ul className="list" aria-label="Event buses">
                {list.map((b) => (
                  <li key={b.Name}>
                    <a href="#" aria-current={b.Name === bus ? 'true' : undefined} style={{ fontWeight: b.Name === bus ? 600 : undefined }}
                      onClick={(e) => (e.preventDefault(), select(b.Name!))}>{b.Name}</a>
                  </li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
        <div className="panel">
          <BusDetail key={bus} bus={bus} onDeleted={() => (setDeleted(bus), setQ({ bus: undefined, rule: undefined, edit: undefined }), buses.reload())} />
        </div>
      </div>
    </>
  );
}

function BusDetail({ bus, onDeleted }: { bus: string; onDeleted: () => void }) {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const tab = (q.get('tab') ?? 'rules') as Tab;
  const [deleting, setDeleting] = useState(false);
  const info = useAsync(() => c.events.send(new DescribeEventBusCommand({ Name: bus })), [bus]);
  if (info.error) return <ErrorBox error={info.error} />;
  if (!info.data) return <Loading what="Loading event bus" />;
  const arn = info.data.Arn ?? '';
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>{bus}</h3>
        {bus !== DEFAULT_BUS && <button type="button" className="danger" onClick={() => setDeleting(true)}>Delete event bus</button>}
      </div>
      <dl className="muted" aria-label="Event bus details">
        <dt>ARN</dt><dd><code>{arn}</code></dd>
        {info.data.Description && <><dt>Description</dt><dd>{info.data.Description}</dd></>}
        <dt>Resource policy</dt>
        <dd>{info.data.Policy ? <pre aria-label="Resource policy">{prettyJson(info.data.Policy)}</pre> : 'None'}</dd>
      </dl>
      <div className="range" role="tablist" aria-label="Event bus sections">
        {(Object.keys(TABS) as Tab[]).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''}
            onClick={() => setQ({ tab: t === 'rules' ? undefined : t, rule: undefined, edit: undefined }, true)}>{TABS[t]}</button>
        ))}
      </div>
      <div role="tabpanel" aria-label={TABS[tab] ?? TABS.rules} style={{ marginTop: 12 }}>
        {tab === 'archives' ? <ArchivesTab bus={bus} busArn={arn} />
          : tab === 'send' ? <SendEventForm bus={bus} />
            : tab === 'schemas' ? <SchemasTab />
              : <RulesTab bus={bus} />}
      </div>
      {deleting && (
        <ConfirmDialog title="Delete event bus" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await c.events.send(new DeleteEventBusCommand({ Name: bus })), onDeleted())}>
          Delete the event bus <strong>{bus}</strong>? Events can no longer be sent to it.
        </ConfirmDialog>
      )}
    </>
  );
}
