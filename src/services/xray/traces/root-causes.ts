/**
 * Root-cause analytics of one assembled trace, as GetTraceSummaries reports them (FaultRootCauses,
 * ErrorRootCauses, ResponseTimeRootCauses) and `rootcause.<kind>.<level> { … }` filters test them
 * ("AWS X-Ray: Retrieving and refining root cause analytics"): each root cause is the chain of
 * services from the entry segment down to where the problem is, each service with its entity path
 * (its segment, then the subsegments leading to the downstream call or to the problem).
 * - fault / error: from the entry segment, follow flagged entities — a flagged subsegment, or a
 *   flagged segment a subsegment called — as deep as they go; every deepest one is a root cause,
 *   with its exceptions (`cause.exceptions`).
 * - responsetime: from the entry segment, follow the longest child (subsegment or called segment)
 *   down to a leaf; each entity's coverage is its duration over the entry segment's.
 */
import type { ResponseTimeRootCause, RootCauseException, TraceSummary } from '@aws-sdk/client-xray';
import type { RootCauseFacts, RootCauses } from '../filter-expression/facts.ts';
import { round3, type AssembledTrace, type Doc } from './assemble.ts';
import { nodeOf, rootSegment, statusOf } from './segment-facts.ts';

/** A step of a root-cause path: an entity, and the service (segment) it belongs to. */
interface Step {
  service: Doc;
  entity: Doc;
}

const MAX_CAUSES = 5;
const subsegments = (d: Doc): Doc[] => (Array.isArray(d.subsegments) ? (d.subsegments as Doc[]) : []);
const duration = (d: Doc): number => (typeof d.end_time === 'number' ? d.end_time - (d.start_time as number) : 0);

class CallTree {
  /** Segments (real or inferred) by the id of the entity that called them. */
  private readonly calledBy = new Map<string, Doc[]>();

  constructor(trace: AssembledTrace) {
    for (const s of [...trace.segments, ...trace.inferred]) {
      if (typeof s.parent_id !== 'string') continue;
      const list = this.calledBy.get(s.parent_id) ?? [];
      list.push(s);
      this.calledBy.set(s.parent_id, list);
    }
  }

  /** An entity's children: its subsegments, and the segments it called (as new services). */
  children(step: Step): Step[] {
    const own = subsegments(step.entity).map((entity) => ({ service: step.service, entity }));
    const called = (this.calledBy.get(step.entity.id as string) ?? []).filter((s) => s !== step.service).map((s) => ({ service: s, entity: s }));
    return [...own, ...called];
  }
}

/** The deepest flagged entities under `from`, each as its path of steps. */
function deepest(tree: CallTree, from: Step, flagged: (d: Doc) => boolean, path: Step[], out: Step[][], depth = 0): void {
  if (out.length >= MAX_CAUSES || depth > 200) return;
  const next = tree.children(from).filter((c) => flagged(c.entity));
  if (next.length === 0) {
    out.push([...path, from]);
    return;
  }
  for (const c of next) deepest(tree, c, flagged, [...path, from], out, depth + 1);
}

function longest(tree: CallTree, from: Step): Step[] {
  const path = [from];
  for (let at = from; path.length < 200;) {
    const kids = tree.children(at);
    if (kids.length === 0) break;
    at = kids.reduce((a, b) => (duration(b.entity) > duration(a.entity) ? b : a));
    path.push(at);
  }
  return path;
}

const remote = (d: Doc): boolean => d.namespace === 'remote' || d.namespace === 'aws';

function exceptionsOf(d: Doc): RootCauseException[] {
  const list = ((d.cause as Doc | undefined)?.exceptions ?? []) as Doc[];
  return Array.isArray(list) ? list.map((e) => ({ ...(typeof e.type === 'string' ? { Name: e.type } : {}), ...(typeof e.message === 'string' ? { Message: e.message } : {}) })) : [];
}

/** A path of steps → the API's Services, consecutive steps of one service forming its EntityPath. */
function services(path: Step[], rootDuration: number | undefined) {
  const out: { service: Doc; entities: Doc[] }[] = [];
  for (const s of path) {
    const last = out[out.length - 1];
    if (last && last.service === s.service) last.entities.push(s.entity);
    else out.push({ service: s.service, entities: [s.entity] });
  }
  return out.map(({ service, entities }) => {
    const node = nodeOf(service);
    return {
      Name: node.name, Names: [node.name], ...(node.type ? { Type: node.type } : {}), ...(node.accountId ? { AccountId: node.accountId } : {}),
      Inferred: service.inferred === true,
      EntityPath: entities.map((e, i) => ({
        Name: String(e.name), Remote: remote(e),
        ...(rootDuration !== undefined ? { Coverage: rootDuration > 0 ? round3(duration(e) / rootDuration) : 0 } : { Exceptions: i === entities.length - 1 ? exceptionsOf(e) : [] }),
      })),
    };
  });
}

export type RootCauseSummary = Pick<TraceSummary, 'FaultRootCauses' | 'ErrorRootCauses' | 'ResponseTimeRootCauses'>;

export function rootCauses(trace: AssembledTrace): { summary: RootCauseSummary; facts: RootCauses } {
  const root = rootSegment(trace);
  if (!root) return { summary: {}, facts: {} };
  const tree = new CallTree(trace);
  const start: Step = { service: root, entity: root };
  const flagged = (kind: 'fault' | 'error') => (d: Doc) => statusOf(d)[kind] === true;
  const causes = (kind: 'fault' | 'error') => {
    if (!flagged(kind)(root)) return [];
    const out: Step[][] = [];
    deepest(tree, start, flagged(kind), [], out);
    return out;
  };
  const fault = causes('fault');
  const error = causes('error');
  const slow = duration(root) > 0 ? [longest(tree, start)] : [];
  const rootDuration = duration(root);
  const summary: RootCauseSummary = {
    ...(fault.length ? { FaultRootCauses: fault.map((p) => ({ Services: services(p, undefined), ClientImpacting: true })) } : {}),
    ...(error.length ? { ErrorRootCauses: error.map((p) => ({ Services: services(p, undefined), ClientImpacting: true })) } : {}),
    ...(slow.length ? { ResponseTimeRootCauses: slow.map((p): ResponseTimeRootCause => ({ Services: services(p, rootDuration), ClientImpacting: true })) } : {}),
  };
  return { summary, facts: { fault: factsOf(summary.FaultRootCauses), error: factsOf(summary.ErrorRootCauses), responsetime: factsOf(summary.ResponseTimeRootCauses) } };
}

type Cause = NonNullable<TraceSummary['FaultRootCauses'] | TraceSummary['ResponseTimeRootCauses']>[number];

/** The enumerated lists `rootcause.<kind>.service/entity/exception { … }` test, per root cause. */
function factsOf(causes: readonly Cause[] | undefined): Partial<Record<'service' | 'entity' | 'exception', RootCauseFacts[]>> {
  const out = { service: [] as RootCauseFacts[], entity: [] as RootCauseFacts[], exception: [] as RootCauseFacts[] };
  const enumerate = <T>(list: T[], f: (x: T) => Omit<RootCauseFacts, 'index' | 'first' | 'last'>) =>
    list.map((x, index) => ({ ...f(x), index, first: index === 0, last: index === list.length - 1 }));
  for (const c of causes ?? []) {
    const svcs = c.Services ?? [];
    out.service.push(...enumerate(svcs, (s) => ({ ...(s.Name ? { name: s.Name } : {}), ...(s.Type ? { type: s.Type } : {}), inferred: s.Inferred === true })));
    const entities = svcs.flatMap((s) => (s.EntityPath ?? []) as Array<{ Name?: string; Remote?: boolean; Coverage?: number; Exceptions?: RootCauseException[] }>);
    out.entity.push(...enumerate(entities, (e) => ({ ...(e.Name ? { name: e.Name } : {}), remote: e.Remote === true, ...(e.Coverage !== undefined ? { coverage: e.Coverage } : {}) })));
    const exceptions = entities[entities.length - 1]?.Exceptions ?? [];
    out.exception.push(...enumerate(exceptions, (x) => ({ ...(x.Name ? { name: x.Name } : {}), ...(x.Message ? { message: x.Message } : {}) })));
  }
  return out;
}
