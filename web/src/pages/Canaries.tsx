// CloudWatch Synthetics canaries: the list (state, runtime, schedule, last run, success sparkline;
// start, stop, delete) with a "create from blueprint" form, and a canary's page with its runs and
// their artifacts. The URL holds `canary` (and `run`) for the canary's page.
import { useQueryState } from '../router.ts';
import { accountOf } from './canaries-api.ts';
import { CreateCanaryForm } from './canaries-create.tsx';
import { CanaryDetail } from './canaries-detail.tsx';
import { CanaryList, useCanaries } from './canaries-list.tsx';

export default function Canaries() {
  const [q] = useQueryState();
  const canary = q.get('canary');
  return canary ? <CanaryDetail key={canary} name={canary} /> : <CanariesHome />;
}

function CanariesHome() {
  const canaries = useCanaries();
  // The execution role defaults to one in the signed-in account, read off any canary's engine ARN.
  const account = canaries.data?.list.map((k) => accountOf(k.EngineArn)).find(Boolean);
  return (
    <>
      <div className="toolbar"><h2>Synthetics canaries</h2></div>
      <CanaryList canaries={canaries} />
      <CreateCanaryForm account={account} />
    </>
  );
}
