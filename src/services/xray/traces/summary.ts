/**
 * An assembled trace → its GetTraceSummaries entry. "HasFault / HasError / HasThrottle: the root
 * segment document has a 500 series error / a 400 series error / a 429 throttling error" (API
 * reference, TraceSummary); Duration spans every segment, ResponseTime is the root's; Annotations
 * and Users say which services carried them.
 */
import type { AnnotationValue, ServiceId, TraceSummary, ValueWithServiceIds } from '@aws-sdk/client-xray';
import { rootCauses } from './root-causes.ts';
import type { NodeIdentity } from '../filter-expression/index.ts';
import { forEachSubsegment, type AssembledTrace, type Doc } from './assemble.ts';
import { nodeOf, rootSegment, segmentFacts } from './trace-facts.ts';

function serviceId(n: NodeIdentity): ServiceId {
  return { Name: n.name, Names: [n.name], ...(n.accountId ? { AccountId: n.accountId } : {}), ...(n.type ? { Type: n.type } : {}) };
}

function annotationValue(v: unknown): AnnotationValue | undefined {
  if (typeof v === 'string') return { StringValue: v };
  if (typeof v === 'number') return { NumberValue: v };
  if (typeof v === 'boolean') return { BooleanValue: v };
  return undefined;
}

/** value → the services it appeared on, keyed by a stable string of both. */
class Collector<V> {
  private readonly entries = new Map<string, { value: V; services: Map<string, ServiceId> }>();
  add(value: V, service: ServiceId): void {
    const key = JSON.stringify(value);
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { value, services: new Map() }));
    e.services.set(JSON.stringify(service), service);
  }
  list(): Array<{ value: V; services: ServiceId[] }> {
    return [...this.entries.values()].map((e) => ({ value: e.value, services: [...e.services.values()] }));
  }
}

export function traceSummary(trace: AssembledTrace, revision: number): TraceSummary {
  const root = rootSegment(trace);
  const rootFacts = root ? segmentFacts(root, true) : undefined;
  const all = [...trace.segments, ...trace.inferred];
  const services = new Map<string, ServiceId>();
  const annotations = new Map<string, Collector<AnnotationValue>>();
  const users = new Collector<string>();
  const arns = new Set<string>();
  const instances = new Set<string>();
  const zones = new Set<string>();
  for (const seg of all) {
    const sid = serviceId(nodeOf(seg));
    services.set(JSON.stringify(sid), sid);
    const f = segmentFacts(seg, seg === root);
    if (f.user) users.add(f.user, sid);
    if (f.resourceArn) arns.add(f.resourceArn);
    if (f.instanceId) instances.add(f.instanceId);
    if (f.availabilityZone) zones.add(f.availabilityZone);
    const addAnnotations = (d: Doc): void => {
      for (const [k, v] of Object.entries((d.annotations ?? {}) as Doc)) {
        const value = annotationValue(v);
        if (!value) continue;
        if (!annotations.has(k)) annotations.set(k, new Collector());
        annotations.get(k)!.add(value, sid);
      }
    };
    addAnnotations(seg);
    forEachSubsegment(seg, addAnnotations);
  }
  const http = rootFacts?.http ?? {};
  return {
    Id: trace.traceId,
    ...rootCauses(trace).summary,
    ...(root ? { StartTime: new Date(Math.round((root.start_time as number) * 1000)) } : {}),
    Duration: trace.duration,
    ...(rootFacts?.responseTime !== undefined ? { ResponseTime: rootFacts.responseTime } : {}),
    HasFault: rootFacts?.fault ?? false,
    HasError: rootFacts?.error ?? false,
    HasThrottle: rootFacts?.throttle ?? false,
    IsPartial: trace.partial,
    Http: {
      ...(http.url ? { HttpURL: http.url } : {}), ...(http.status !== undefined ? { HttpStatus: http.status } : {}),
      ...(http.method ? { HttpMethod: http.method } : {}), ...(http.userAgent ? { UserAgent: http.userAgent } : {}),
      ...(http.clientIp ? { ClientIp: http.clientIp } : {}),
    },
    Annotations: Object.fromEntries([...annotations.entries()].map(([k, c]) => [k, c.list().map((e): ValueWithServiceIds => ({ AnnotationValue: e.value, ServiceIds: e.services }))])),
    Users: users.list().map((e) => ({ UserName: e.value, ServiceIds: e.services })),
    ServiceIds: [...services.values()],
    ResourceARNs: [...arns].map((ARN) => ({ ARN })),
    InstanceIds: [...instances].map((Id) => ({ Id })),
    AvailabilityZones: [...zones].map((Name) => ({ Name })),
    ...(root ? { EntryPoint: serviceId(nodeOf(root)) } : {}),
    Revision: revision,
  };
}
