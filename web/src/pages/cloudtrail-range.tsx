// The CloudTrail time range: relative (last 1 hour … 90 days, all event history keeps) or absolute
// (two datetime inputs, in the console's time zone). The value uses the URL form of time.ts.
import { TimeRangePicker } from '../ui.tsx';
import { CT_RANGES } from './cloudtrail-api.ts';

export function CloudTrailRange({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return <TimeRangePicker value={value} onChange={onChange} ranges={CT_RANGES} absoluteLabel="Absolute" />;
}
