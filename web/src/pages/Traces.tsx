// X-Ray: traces (service map, filtered trace list, waterfall), sampling rules, groups and the
// account's settings (encryption, resource policies, segment destination), one tab each. The URL
// holds the tab and each tab's state.
import { useQueryState } from '../router.ts';
import { GroupsTab } from './xray-groups.tsx';
import { SamplingTab } from './xray-sampling.tsx';
import { SettingsTab } from './xray-settings.tsx';
import { TracesTab } from './xray-traces.tsx';

const TABS = { traces: 'Traces', sampling: 'Sampling rules', groups: 'Groups', settings: 'Settings' } as const;
type Tab = keyof typeof TABS;

export default function Traces() {
  const [q, setQ] = useQueryState();
  const tab: Tab = (q.get('tab') as Tab) in TABS ? (q.get('tab') as Tab) : 'traces';
  // The traces view keeps its range and group; a form being edited does not carry over.
  const open = (t: Tab) => setQ({ tab: t === 'traces' ? undefined : t, edit: undefined, create: undefined, trace: undefined }, true);
  return (
    <>
      <div className="toolbar">
        <h2>X-Ray</h2>
        <div className="range" role="tablist" aria-label="X-Ray sections">
          {(Object.keys(TABS) as Tab[]).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={t === tab} className={t === tab ? 'active' : ''} onClick={() => open(t)}>{TABS[t]}</button>
          ))}
        </div>
      </div>
      <div role="tabpanel" aria-label={TABS[tab]}>
        {tab === 'sampling' ? <SamplingTab /> : tab === 'groups' ? <GroupsTab /> : tab === 'settings' ? <SettingsTab /> : <TracesTab />}
      </div>
    </>
  );
}
