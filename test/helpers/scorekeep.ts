/** The X-Ray guide's Scorekeep trace (src/services/xray/traces/testdata), moved to `now` under a fresh trace id. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const example = JSON.parse(readFileSync(new URL('../../src/services/xray/traces/testdata/scorekeep-trace.json', import.meta.url), 'utf8')) as {
  sent: Array<Record<string, unknown>>;
};

/** Its documents, as PutTraceSegments takes them, starting at `now` (epoch seconds). */
export function scorekeepTrace(now = Math.floor(Date.now() / 1000) - 60): { traceId: string; docs: string[]; start: number } {
  const traceId = `1-${now.toString(16)}-${randomBytes(12).toString('hex')}`;
  const shift = now - 1499473411;
  const move = (d: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...d, start_time: (d.start_time as number) + shift };
    if (typeof d.end_time === 'number') out.end_time = d.end_time + shift;
    if (Array.isArray(d.subsegments)) out.subsegments = d.subsegments.map((s) => move(s as Record<string, unknown>));
    return out;
  };
  return { traceId, start: now, docs: example.sent.map((d) => JSON.stringify({ ...move(d), trace_id: traceId })) };
}
