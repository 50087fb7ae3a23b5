// The live "test against this sample event" box of the rule form: TestEventPattern is called as the
// user types (debounced), and the answer shows as match / no match / AWS's error (e.g.
// InvalidEventPatternException and its message).
import { useEffect, useState } from 'react';
import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { ErrorBox } from '../ui.tsx';

const DEBOUNCE_MS = 300;

type Verdict = { kind: 'idle' } | { kind: 'checking' } | { kind: 'done'; matches: boolean } | { kind: 'error'; error: unknown };

/** A sample event with every field TestEventPattern requires (id, account, source, time, region, detail-type). */
export function sampleEvent(region: string): string {
  return JSON.stringify({
    version: '0', id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', 'detail-type': 'Order Placed', source: 'com.example.orders',
    account: '000000000000', time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), region, resources: [],
    detail: { orderId: 'o-1', amount: 42 },
  }, null, 2);
}

function useTestEventPattern(pattern: string, event: string): Verdict {
  const c = useSession();
  const [verdict, setVerdict] = useState<Verdict>({ kind: 'idle' });
  useEffect(() => {
    if (!pattern.trim() || !event.trim()) {
      setVerdict({ kind: 'idle' });
      return;
    }
    let live = true;
    setVerdict({ kind: 'checking' });
    const timer = setTimeout(() => {
      c.events.send(new TestEventPatternCommand({ EventPattern: pattern, Event: event })).then(
        (r) => live && setVerdict({ kind: 'done', matches: r.Result === true }),
        (error) => live && setVerdict({ kind: 'error', error }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [c, pattern, event]);
  return verdict;
}

export function PatternTester({ pattern, event, onEventChange }: { pattern: string; event: string; onEventChange: (v: string) => void }) {
  const verdict = useTestEventPattern(pattern, event);
  return (
    <section aria-label="Test event pattern">
      <label>Test against this sample event
        <textarea className="json" style={{ minHeight: 200 }} value={event} onChange={(e) => onEventChange(e.target.value)} spellCheck={false} />
      </label>
      <div role="status" aria-label="Pattern test result" aria-live="polite">
        {verdict.kind === 'checking' && <span className="muted">Testing…</span>}
        {verdict.kind === 'done' && (verdict.matches
          ? <span className="badge badge-ok">Match</span>
          : <span className="badge badge-alarm">No match</span>)}
        {verdict.kind === 'idle' && <span className="muted">Enter a pattern and an event to test them.</span>}
      </div>
      {verdict.kind === 'error' && <ErrorBox error={verdict.error} />}
    </section>
  );
}
