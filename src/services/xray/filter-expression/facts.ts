/**
 * What the evaluator needs to know about one trace. The trace store derives these facts from the
 * trace's segments (the entry segment, every segment and inferred node, the calls between them and
 * the root causes) so the language stays independent of how segments are stored.
 */
import type { RootCauseKind, RootCauseLevel } from './ast.ts';

export interface HttpFacts {
  status?: number;
  url?: string;
  method?: string;
  userAgent?: string;
  clientIp?: string;
}

/** One segment (or an inferred node's call) as a service node sees it. Times are in seconds. */
export interface SegmentFacts {
  name?: string;
  type?: string;
  accountId?: string;
  /** 2XX; error = 4XX, throttle = 429, fault = 5XX (the segment's flags or its HTTP status). */
  ok?: boolean;
  error?: boolean;
  throttle?: boolean;
  fault?: boolean;
  /** The trace's entry point. */
  root?: boolean;
  /** A node X-Ray infers from a downstream subsegment (a remote call, an AWS SDK call). */
  inferred?: boolean;
  /** Still in progress. */
  partial?: boolean;
  responseTime?: number;
  duration?: number;
  http?: HttpFacts;
  user?: string;
  availabilityZone?: string;
  instanceId?: string;
  resourceArn?: string;
}

export interface NodeIdentity {
  name: string;
  type?: string;
  accountId?: string;
}

/** A call from one node to another: the caller's subsegment or the callee's segment. */
export interface EdgeFacts {
  source: NodeIdentity;
  destination: NodeIdentity;
  call: SegmentFacts;
}

/** One entry of a root-cause path (GetTraceSummaries' FaultRootCauses / ErrorRootCauses / ResponseTimeRootCauses). */
export interface RootCauseFacts {
  name?: string;
  type?: string;
  /** An exception's message (`exception` level). */
  message?: string;
  /** Position in its enumerated list, from 0, with `first` / `last` set on the ends. */
  index: number;
  first: boolean;
  last: boolean;
  remote?: boolean;
  inferred?: boolean;
  /** Response-time root causes: entity response time / root segment response time. */
  coverage?: number;
  availabilityZone?: string;
  instanceId?: string;
  resourceArn?: string;
}

export type RootCauses = Partial<Record<RootCauseKind, Partial<Record<RootCauseLevel, readonly RootCauseFacts[]>>>>;

export interface TraceFacts {
  /** The entry (root) segment: simple keywords "find issues only at the trace level". */
  root: SegmentFacts;
  /** First start to last end over every segment. */
  duration: number;
  /** Any segment still in progress. */
  partial: boolean;
  /** Values "on any segment in the trace". */
  users: readonly string[];
  availabilityZones: readonly string[];
  instanceIds: readonly string[];
  resourceArns: readonly string[];
  /** Annotation key → every value it has on any segment or subsegment. */
  annotations: ReadonlyMap<string, ReadonlyArray<string | number | boolean>>;
  /** Every segment and inferred node, with its identity. */
  services: ReadonlyArray<SegmentFacts & NodeIdentity>;
  edges: readonly EdgeFacts[];
  rootCauses?: RootCauses;
}
