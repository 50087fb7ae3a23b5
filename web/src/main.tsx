// The console shell: login, navigation, theme and time-zone switches, and code-split pages.
import { StrictMode, Suspense, lazy, useEffect, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import type { Clients } from './aws.ts';
import { ClientsContext } from './app-context.ts';
import { loadSession, saveSession, clearSession, type Session } from './session.ts';
import { useLocation } from './router.ts';
import { usePrefs, setPrefs } from './prefs.ts';
import { ErrorBox, Link, Loading } from './ui.tsx';
import './theme.css';

// Each page is its own chunk; the SDK clients load with the first page, after the login form is up.
const PAGES = {
  metrics: { title: 'Metrics', load: lazy(() => import('./pages/Metrics.tsx')) },
  dashboards: { title: 'Dashboards', load: lazy(() => import('./pages/Dashboards.tsx')) },
  logs: { title: 'Logs', load: lazy(() => import('./pages/Logs.tsx')) },
  insights: { title: 'Logs Insights', load: lazy(() => import('./pages/Insights.tsx')) },
  alarms: { title: 'Alarms', load: lazy(() => import('./pages/Alarms.tsx')) },
  'contributor-insights': { title: 'Contributor Insights', load: lazy(() => import('./pages/ContributorInsights.tsx')) },
  'metric-streams': { title: 'Metric streams', load: lazy(() => import('./pages/MetricStreams.tsx')) },
  topics: { title: 'Topics', load: lazy(() => import('./pages/Topics.tsx')) },
  queues: { title: 'Queues', load: lazy(() => import('./pages/Queues.tsx')) },
  streams: { title: 'Data streams', load: lazy(() => import('./pages/Streams.tsx')) },
  'delivery-streams': { title: 'Delivery streams', load: lazy(() => import('./pages/DeliveryStreams.tsx')) },
  eventbridge: { title: 'EventBridge', load: lazy(() => import('./pages/EventBridge.tsx')) },
  scheduler: { title: 'Scheduler', load: lazy(() => import('./pages/Scheduler.tsx')) },
  parameters: { title: 'Parameters', load: lazy(() => import('./pages/Parameters.tsx')) },
  cloudtrail: { title: 'CloudTrail', load: lazy(() => import('./pages/CloudTrail.tsx')) },
  traces: { title: 'Traces', load: lazy(() => import('./pages/Traces.tsx')) },
  hosts: { title: 'Hosts', load: lazy(() => import('./pages/Hosts.tsx')) },
  canaries: { title: 'Synthetics canaries', load: lazy(() => import('./pages/Canaries.tsx')) },
  sql: { title: 'SQL (Athena)', load: lazy(() => import('./pages/Sql.tsx')) },
  health: { title: 'Health', load: lazy(() => import('./pages/Health.tsx')) },
} as const;
type PageName = keyof typeof PAGES;

function Login({ onLogin }: { onLogin: (s: Session, c: Clients) => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s: Session = {
      accessKeyId: String(f.get('accessKeyId')).trim(),
      secretAccessKey: String(f.get('secretAccessKey')),
      region: String(f.get('region')).trim() || 'us-east-1',
    };
    setBusy(true);
    setError(undefined);
    try {
      const aws = await import('./aws.ts');
      const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const c = aws.clients(s);
      // Any signed call proves the keys; a wrong secret answers with the server's signature error.
      const prove = new DescribeLogGroupsCommand({ limit: 1 });
      // This one call is the sign-in: the header has the server record it as CloudTrail's ConsoleLogin
      // (eventType AwsConsoleSignIn, Success or Failure) instead of a DescribeLogGroups call.
      prove.middlewareStack.add((next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-osprey-console-login'] = '1';
        return next(args);
      }, { step: 'build', name: 'ospreyConsoleLogin' });
      await c.logs.send(prove);
      saveSession(s);
      onLogin(s, c);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>Osprey</h1>
        <label>Access key ID<input name="accessKeyId" autoComplete="username" required autoFocus /></label>
        <label>Secret access key<input name="secretAccessKey" type="password" autoComplete="current-password" required /></label>
        <label>Region<input name="region" defaultValue="us-east-1" /></label>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p className="hint">Keys stay in this tab (sessionStorage) and only sign requests.</p>
      </form>
    </main>
  );
}

function App() {
  const prefs = usePrefs();
  const { path } = useLocation();
  const [clients, setClients] = useState<Clients | undefined>();
  const [session, setSession] = useState(loadSession);
  useEffect(() => {
    document.documentElement.dataset.theme = prefs.theme;
  }, [prefs.theme]);
  useEffect(() => {
    if (session && !clients) void import('./aws.ts').then((aws) => setClients(aws.clients(session)));
  }, [session, clients]);

  if (!session) return <Login onLogin={(s, c) => (setSession(s), setClients(c))} />;
  const name = (path.split('/')[1] || 'metrics') as PageName;
  const page = PAGES[name] ?? PAGES.metrics;
  const Page = page.load;
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <span className="brand">Osprey</span>
        {(Object.keys(PAGES) as PageName[]).map((p) => (
          <Link key={p} to={`/${p}`} className={p === name ? 'active' : ''}>{PAGES[p].title}</Link>
        ))}
        <span className="spacer" />
        <button type="button" onClick={() => setPrefs({ tz: prefs.tz === 'UTC' ? 'local' : 'UTC' })} title="Time zone">
          {prefs.tz === 'UTC' ? 'UTC' : 'Local time'}
        </button>
        <button type="button" onClick={() => setPrefs({ theme: prefs.theme === 'dark' ? 'light' : 'dark' })} aria-label="Toggle theme">
          {prefs.theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <span className="who">{session.accessKeyId} · {session.region}</span>
        <button type="button" onClick={() => (clearSession(), setSession(undefined), setClients(undefined))}>Sign out</button>
      </nav>
      <main className="page">
        {clients ? (
          <ClientsContext.Provider value={clients}>
            <Suspense fallback={<Loading what="Loading page" />}>
              <Page />
            </Suspense>
          </ClientsContext.Provider>
        ) : <Loading />}
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
