/**
 * An assembled trace → the facts filter expressions test (../filter-expression/facts.ts): the entry
 * segment, every service node (segments and inferred segments), the calls between them, and the
 * values "on any segment in the trace".
 */
import type { EdgeFacts, NodeIdentity, SegmentFacts, TraceFacts } from '../filter-expression/index.ts';
import { forEachSubsegment, round3, type AssembledTrace, type Doc } from './assemble.ts';

/** The service-map node a segment belongs to. A DynamoDB table is named after the table. */
export function nodeOf(doc: Doc): NodeIdentity {
  const aws = (doc.aws ?? {}) as Doc;
  const name = doc.origin === 'AWS::DynamoDB::Table' && typeof aws.table_name === 'string' ? aws.table_name : String(doc.name);
  return {
    name,
    ...(typeof doc.origin === 'string' ? { type: doc.origin } : {}),
    ...(typeof aws.account_id === 'string' ? { accountId: aws.account_id } : {}),
  };
}

/** ok / error / throttle / fault from the document's flags, else from its HTTP status. */
export function statusOf(doc: Doc): Pick<SegmentFacts, 'ok' | 'error' | 'throttle' | 'fault'> {
  const status = httpOf(doc).status;
  const fault = doc.fault === true || (status !== undefined && status >= 500);
  const throttle = doc.throttle === true || status === 429;
  const error = doc.error === true || throttle || (status !== undefined && status >= 400 && status < 500);
  return { ok: !fault && !error, error, throttle, fault };
}

function httpOf(doc: Doc): NonNullable<SegmentFacts['http']> {
  const http = (doc.http ?? {}) as Doc;
  const req = (http.request ?? {}) as Doc;
  const res = (http.response ?? {}) as Doc;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    ...(typeof res.status === 'number' ? { status: res.status } : {}),
    ...(str(req.url) !== undefined ? { url: str(req.url) } : {}),
    ...(str(req.method) !== undefined ? { method: str(req.method) } : {}),
    ...(str(req.user_agent) !== undefined ? { userAgent: str(req.user_agent) } : {}),
    ...(str(req.client_ip) !== undefined ? { clientIp: str(req.client_ip) } : {}),
  };
}

export function segmentFacts(doc: Doc, root: boolean): SegmentFacts & NodeIdentity {
  const aws = (doc.aws ?? {}) as Doc;
  const ec2 = (aws.ec2 ?? {}) as Doc;
  const end = typeof doc.end_time === 'number' ? doc.end_time : undefined;
  const responseTime = end === undefined ? undefined : round3(end - (doc.start_time as number));
  return {
    ...nodeOf(doc), ...statusOf(doc), root, inferred: doc.inferred === true, partial: doc.in_progress === true,
    ...(responseTime !== undefined ? { responseTime, duration: responseTime } : {}),
    http: httpOf(doc),
    ...(typeof doc.user === 'string' ? { user: doc.user } : {}),
    ...(typeof ec2.availability_zone === 'string' ? { availabilityZone: ec2.availability_zone } : {}),
    ...(typeof ec2.instance_id === 'string' ? { instanceId: ec2.instance_id } : {}),
    ...(typeof doc.resource_arn === 'string' ? { resourceArn: doc.resource_arn } : {}),
  };
}

/** The entry segment: one with no parent in the trace, the earliest if several. */
export function rootSegment(trace: AssembledTrace): Doc | undefined {
  const ids = new Set<string>();
  for (const s of trace.segments) {
    ids.add(s.id as string);
    forEachSubsegment(s, (sub) => ids.add(sub.id as string));
  }
  return trace.segments.find((s) => typeof s.parent_id !== 'string' || !ids.has(s.parent_id)) ?? trace.segments[0];
}

export function traceFacts(trace: AssembledTrace): TraceFacts {
  const root = rootSegment(trace);
  const all = [...trace.segments, ...trace.inferred];
  const services = all.map((d) => segmentFacts(d, d === root));
  const pick = (f: (s: SegmentFacts) => string | undefined): string[] => [...new Set(services.map(f).filter((v): v is string => v !== undefined))];
  return {
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
