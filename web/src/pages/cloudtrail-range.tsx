// The CloudTrail time range: relative (last 1 hour … 90 days, all event history keeps) or absolute
// (two datetime inputs, in the console's time zone). The value uses the URL form of time.ts.
import { resolveRange, toInputValue, fromInputValue } from '../time.ts';
import { CT_RANGES } from './cloudtrail-api.ts';

export function CloudTrailRange({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const abs = /^\d+~\d+$/.test(value);
  const { start, end } = resolveRange(value);
  return (
    <div className="range" role="group" aria-label="Time range">
      {CT_RANGES.map((r) => (
        <button key={r} type="button" className={value === r ? 'active' : ''} aria-pressed={value === r} onClick={() => onChange(r)}>
          {r}
        </button>
      ))}
      <button type="button" className={abs ? 'active' : ''} aria-pressed={abs} onClick={() => onChange(`${start.getTime()}~${end.getTime()}`)}>
        Absolute
      </button>
      {abs && (
        <>
          <input type="datetime-local" aria-label="Start" value={toInputValue(start)}
            onChange={(e) => e.target.value && onChange(`${fromInputValue(e.target.value).getTime()}~${end.getTime()}`)} />
          <input type="datetime-local" aria-label="End" value={toInputValue(end)}
            onChange={(e) => e.target.value && onChange(`${start.getTime()}~${fromInputValue(e.target.value).getTime()}`)} />
        </>
      )}
    </div>
  );
}
