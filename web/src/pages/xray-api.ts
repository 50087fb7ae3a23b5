// X-Ray helpers shared by the Traces page's parts: the client (made on first use from the session's
// config, so other pages don't carry it), parsed segment documents flattened for the waterfall, and
// the Logs Insights hand-off for a trace id.
import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, XRayClient, type Tag } from '@aws-sdk/client-xray';
import { useSession } from '../app-context.ts';
import type { Clients } from '../aws.ts';
import { traceIdSpellings } from '../trace-ids.ts';
import { href } from '../router.ts';
import { tagChanges } from '../tags.ts';
import { useAsync, type Async } from '../ui.tsx';

const made = new WeakMap<Clients, XRayClient>();

/** The X-Ray client of the signed-in session. */
export function useXray(): XRayClient {
  const c = useSession();
  let x = made.get(c);
  if (!x) made.set(c, (x = new XRayClient(c.config)));
  return x;
}

export type Doc = Record<string, unknown>;

/** One bar of the waterfall: a segment or subsegment, its depth under the segment that holds it. */
export interface Bar {
  id: string;
  name: string;
  depth: number;
  start: number;
  end: number | undefined;
  kind: 'segment' | 'subsegment' | 'inferred';
  status: 'ok' | 'error' | 'throttle' | 'fault';
  doc: Doc;
}

function statusOf(d: Doc): Bar['status'] {
  const code = ((d.http as Doc | undefined)?.response as Doc | undefined)?.status;
  if (d.fault === true || (typeof code === 'number' && code >= 500)) return 'fault';
  if (d.throttle === true || code === 429) return 'throttle';
  if (d.error === true || (typeof code === 'number' && code >= 400)) return 'error';
  return 'ok';
}

/** BatchGetTraces' documents → bars: each segment, then its subsegments depth-first, by start time. */
export function bars(documents: Doc[]): Bar[] {
  const out: Bar[] = [];
  const walk = (d: Doc, depth: number, kind: Bar['kind']): void => {
    out.push({ id: String(d.id), name: String(d.name), depth, start: d.start_time as number, end: d.end_time as number | undefined, kind, status: statusOf(d), doc: d });
    for (const s of ((d.subsegments as Doc[] | undefined) ?? []).slice().sort((a, b) => (a.start_time as number) - (b.start_time as number))) walk(s, depth + 1, 'subsegment');
  };
  for (const d of documents.slice().sort((a, b) => (a.start_time as number) - (b.start_time as number))) walk(d, 0, d.inferred === true ? 'inferred' : 'segment');
  return out;
}

/** Logs Insights over the chosen log groups, for the lines that carry this trace id. */
/** Logs Insights over the events that mention the trace, in either spelling (X-Ray or W3C). */
export function logsForTrace(traceId: string): string {
  const filter = traceIdSpellings(traceId).map((id) => `@message like "${id}"`).join(' or ');
  return href('/insights', { query: `fields @timestamp, @message, @logStream\n| filter ${filter}\n| sort @timestamp desc` });
}

/** The tags of a group or sampling rule being edited ([] while creating one). */
export function useXrayTags(arn: string | undefined): Async<Tag[]> {
  const xray = useXray();
  return useAsync(async () => (arn ? (await xray.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags ?? [] : []), [arn]);
}

/** Applies the difference between a resource's old and new tags. */
export async function retag(xray: XRayClient, arn: string | undefined, before: Tag[], after: { Key: string; Value: string }[]): Promise<void> {
  const { removed, changed } = tagChanges(before, after);
  if (removed.length) await xray.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: removed }));
  if (changed.length) await xray.send(new TagResourceCommand({ ResourceARN: arn, Tags: changed }));
}
