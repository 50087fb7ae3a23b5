// CloudTrail: event history (LookupEvents with the console's filters, each record expandable, and
// "Show in Logs Insights" through a trail's log group), trails (status, start/stop logging, the
// create / edit form, delete) and Insights events on a timeline. The URL holds tab and each tab's state.
import { useQueryState } from '../router.ts';
import { HistoryTab } from './cloudtrail-history.tsx';
import { TrailsTab } from './cloudtrail-trails.tsx';
import { InsightsTab } from './cloudtrail-insights.tsx';

const TABS = { history: 'Event history', trails: 'Trails', insights: 'Insights' } as const;
type Tab = keyof typeof TABS;

export default function CloudTrail() {
  const [q, setQ] = useQueryState();
  const tab: Tab = (q.get('tab') as Tab) in TABS ? (q.get('tab') as Tab) : 'history';
  // Each tab's own state (filter, range, form) does not carry over to another tab.
  const open = (t: Tab) => setQ({ tab: t === 'history' ? undefined : t, attr: undefined, value: undefined, edit: undefined }, true);
  return (
    <>
      <div className="toolbar">
        <h2>CloudTrail</h2>
        <div className="range" role="tablist" aria-label="CloudTrail sections">
          {(Object.keys(TABS) as Tab[]).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''} onClick={() => open(t)}>{TABS[t]}</button>
          ))}
        </div>
      </div>
      <div role="tabpanel" aria-label={TABS[tab]}>
        {tab === 'trails' ? <TrailsTab /> : tab === 'insights' ? <InsightsTab /> : <HistoryTab />}
      </div>
    </>
  );
}
