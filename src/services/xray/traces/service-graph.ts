/**
 * Assembled traces → the service graph GetServiceGraph and GetTraceGraph return (AWS X-Ray guide,
 * "Getting data": one node per service — segments by name and origin, inferred AWS resources and
 * remote APIs, and a `client` node in front of every entry point — with edges to the services each
 * calls; summary statistics and response-time histograms on nodes and edges).
 */
import type { Edge, HistogramEntry, Service, ServiceStatistics } from '@aws-sdk/client-xray';
import type { NodeIdentity, SegmentFacts } from '../filter-expression/index.ts';
import { round3, type AssembledTrace, type Doc } from './assemble.ts';
import { rootSegment, segmentFacts } from './trace-facts.ts';
import type { GraphNodeKey, GraphRow, GraphStats } from '../../../store/telemetry/trace-graph.ts';

/** Counts by status, response time total and histogram, first start and last end (as the store aggregates them). */
type Stats = GraphStats;

interface NodeAcc {
  id: NodeIdentity;
  root: boolean;
  client: boolean;
  inferred: boolean;
  stats: Stats;
  edges: Map<string, Stats>;
}

const newStats = (): Stats => ({ ok: 0, throttle: 0, error: 0, fault: 0, total: 0, responseTime: 0, histogram: new Map(), start: Infinity, end: -Infinity });

function count(s: Stats, f: SegmentFacts, start: number, end: number): void {
  s.total++;
  if (f.fault) s.fault++;
  else if (f.throttle) s.throttle++;
  else if (f.error) s.error++;
  else s.ok++;
  const rt = f.responseTime ?? 0;
  s.responseTime += rt;
  const bucket = round3(rt);
  s.histogram.set(bucket, (s.histogram.get(bucket) ?? 0) + 1);
  s.start = Math.min(s.start, start);
  s.end = Math.max(s.end, end);
}

const keyOf = (id: NodeIdentity, client = false): string => JSON.stringify([client, id.name, id.type ?? '', id.accountId ?? '']);

export class ServiceGraphBuilder {
  private readonly nodes = new Map<string, NodeAcc>();

  /** A graph the telemetry store aggregated (store/telemetry/trace-graph.ts): same output. */
  static fromRows(rows: readonly GraphRow[]): ServiceGraphBuilder {
    const b = new ServiceGraphBuilder();
    const ident = (k: GraphNodeKey): NodeIdentity => ({ name: k.name, ...(k.type ? { type: k.type } : {}), ...(k.account ? { accountId: k.account } : {}) });
    for (const r of rows) {
      if (r.kind === 'node') {
        const n = b.node(ident(r.node), { root: r.root, inferred: r.inferred });
        n.stats = r.stats;
      } else {
        b.node(ident(r.from), { client: r.from.client }).edges.set(keyOf(ident(r.to)), r.stats);
      }
    }
    return b;
  }

  add(trace: AssembledTrace): void {
    const root = rootSegment(trace);
    const all = [...trace.segments, ...trace.inferred];
    const owner = new Map<string, Doc>();
    for (const seg of all) {
      owner.set(seg.id as string, seg);
      walk(seg, (sub) => owner.set(sub.id as string, seg));
    }
    const facts = new Map(all.map((seg) => [seg, segmentFacts(seg, seg === root)]));
    for (const seg of all) {
      const f = facts.get(seg)!;
      const [start, end] = span(seg);
      const node = this.node(f, { root: seg === root, inferred: seg.inferred === true });
      count(node.stats, f, start, end);
      const caller = typeof seg.parent_id === 'string' ? owner.get(seg.parent_id) : undefined;
      if (caller && caller !== seg) {
        this.edge(this.node(facts.get(caller)!, { root: caller === root, inferred: caller.inferred === true }), node.id, f, start, end);
      } else if (seg === root) {
        this.edge(this.node(f, { client: true }), node.id, f, start, end);
      }
    }
  }

  services(): Service[] {
    const list = [...this.nodes.entries()];
    const ref = new Map(list.map(([k], i) => [k, i]));
    return list.map(([, n], i) => ({
      ReferenceId: i,
      Name: n.id.name,
      Names: [n.id.name],
      ...(n.root ? { Root: true } : {}),
      ...(n.id.accountId ? { AccountId: n.id.accountId } : {}),
      ...(n.client ? { Type: 'client' } : n.id.type ? { Type: n.id.type } : {}),
      State: n.client || n.inferred ? 'unknown' : 'active',
      ...times(n.client ? mergeEdges(n.edges) : n.stats),
      Edges: [...n.edges.entries()].map(([to, s]): Edge => ({
        ReferenceId: ref.get(to)!, ...times(s), SummaryStatistics: statistics(s), ResponseTimeHistogram: histogram(s), Aliases: [],
      })),
      ...(n.client ? {} : { SummaryStatistics: statistics(n.stats), DurationHistogram: histogram(n.stats), ResponseTimeHistogram: histogram(n.stats) }),
    }));
  }

  private node(id: NodeIdentity, kind: { root?: boolean; client?: boolean; inferred?: boolean }): NodeAcc {
    const ident: NodeIdentity = { name: id.name, ...(id.type ? { type: id.type } : {}), ...(id.accountId ? { accountId: id.accountId } : {}) };
    const key = keyOf(ident, kind.client);
    let n = this.nodes.get(key);
    if (!n) this.nodes.set(key, (n = { id: ident, root: false, client: kind.client === true, inferred: kind.inferred === true, stats: newStats(), edges: new Map() }));
    if (kind.root && !kind.client) n.root = true;
    return n;
  }

  private edge(from: NodeAcc, to: NodeIdentity, facts: SegmentFacts, start: number, end: number): void {
    const key = keyOf(to);
    let s = from.edges.get(key);
    if (!s) from.edges.set(key, (s = newStats()));
    count(s, facts, start, end);
  }
}

function walk(doc: Doc, visit: (sub: Doc) => void): void {
  if (!Array.isArray(doc.subsegments)) return;
  for (const sub of doc.subsegments as Doc[]) {
    visit(sub);
    walk(sub, visit);
  }
}

function span(doc: Doc): [number, number] {
  const start = doc.start_time as number;
  return [start, typeof doc.end_time === 'number' ? doc.end_time : start];
}

function mergeEdges(edges: ReadonlyMap<string, Stats>): Stats {
  const s = newStats();
  for (const e of edges.values()) { s.start = Math.min(s.start, e.start); s.end = Math.max(s.end, e.end); }
  return s;
}

function times(s: Stats): { StartTime?: Date; EndTime?: Date } {
  if (!Number.isFinite(s.start)) return {};
  return { StartTime: new Date(Math.floor(s.start) * 1000), EndTime: new Date(Math.ceil(s.end) * 1000) };
}

function statistics(s: Stats): ServiceStatistics {
  return {
    OkCount: s.ok,
    ErrorStatistics: { ThrottleCount: s.throttle, OtherCount: s.error, TotalCount: s.error + s.throttle },
    FaultStatistics: { OtherCount: s.fault, TotalCount: s.fault },
    TotalCount: s.total,
    TotalResponseTime: round3(s.responseTime),
  };
}

function histogram(s: Stats): HistogramEntry[] {
  return [...s.histogram.entries()].sort(([a], [b]) => a - b).map(([Value, Count]) => ({ Value, Count }));
}
