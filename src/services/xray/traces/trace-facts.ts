/**
 * An assembled trace → the facts filter expressions test (../filter-expression/facts.ts): the entry
 * segment, every service node (segments and inferred segments), the calls between them, and the
 * values "on any segment in the trace".
 */
import type { EdgeFacts, NodeIdentity, SegmentFacts, TraceFacts } from '../filter-expression/index.ts';
import { forEachSubsegment, type AssembledTrace, type Doc } from './assemble.ts';
import { rootCauses } from './root-causes.ts';
import { nodeOf, rootSegment, segmentFacts } from './segment-facts.ts';

export { nodeOf, rootSegment, segmentFacts, statusOf } from './segment-facts.ts';

export function traceFacts(trace: AssembledTrace): TraceFacts {
  const root = rootSegment(trace);
  const all = [...trace.segments, ...trace.inferred];
  const services = all.map((d) => segmentFacts(d, d === root));
  const pick = (f: (s: SegmentFacts) => string | undefined): string[] => [...new Set(services.map(f).filter((v): v is string => v !== undefined))];
  let causes: TraceFacts['rootCauses'];
  return {
    // Computed when a rootcause.* filter first asks.
    get rootCauses() {
      return (causes ??= rootCauses(trace).facts);
    },
    root: root ? segmentFacts(root, true) : { root: true },
    duration: trace.duration,
    partial: trace.partial,
    users: pick((s) => s.user),
    availabilityZones: pick((s) => s.availabilityZone),
    instanceIds: pick((s) => s.instanceId),
    resourceArns: pick((s) => s.resourceArn),
    annotations: annotationsOf(trace.segments),
    services,
    edges: edgesOf(all, services),
  };
}

/** A call is a segment (real or inferred) whose parent_id is a subsegment of another segment. */
function edgesOf(all: readonly Doc[], facts: ReadonlyArray<SegmentFacts & NodeIdentity>): EdgeFacts[] {
  const ownerOf = new Map<string, number>();
  all.forEach((seg, i) => {
    // A Lambda function segment names its AWS::Lambda service segment (not a subsegment) as parent.
    ownerOf.set(seg.id as string, i);
    forEachSubsegment(seg, (sub) => ownerOf.set(sub.id as string, i));
  });
  const edges: EdgeFacts[] = [];
  all.forEach((seg, i) => {
    const caller = typeof seg.parent_id === 'string' ? ownerOf.get(seg.parent_id) : undefined;
    if (caller === undefined) return;
    const { name, type, accountId } = facts[caller]!;
    edges.push({ source: { name, ...(type ? { type } : {}), ...(accountId ? { accountId } : {}) }, destination: nodeOf(seg), call: facts[i]! });
  });
  return edges;
}

function annotationsOf(segments: readonly Doc[]): Map<string, Array<string | number | boolean>> {
  const out = new Map<string, Array<string | number | boolean>>();
  const add = (doc: Doc): void => {
    const a = doc.annotations;
    if (!a || typeof a !== 'object') return;
    for (const [k, v] of Object.entries(a as Doc)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
      const list = out.get(k) ?? [];
      if (!list.includes(v)) list.push(v);
      out.set(k, list);
    }
  };
  for (const s of segments) {
    add(s);
    forEachSubsegment(s, add);
  }
  return out;
}
