/**
 * Evaluates a parsed filter expression against one trace's facts. Comparisons follow "exists"
 * semantics: a keyword that is not set never satisfies a comparison (`http.status != 200` does not
 * match a trace without HTTP data), and a keyword with several values (`user` "on any segment")
 * matches when one of them does.
 */
import type { CompareOp, FilterNode, Literal, NodeSelector } from './ast.ts';
import type { NodeIdentity, RootCauseFacts, SegmentFacts, TraceFacts } from './facts.ts';
import { KEYWORDS } from './keywords.ts';

export interface EvaluationContext {
  /** A group's parsed filter expression by name or ARN (undefined: no such group). */
  group?(by: 'name' | 'arn', value: string): FilterNode | undefined;
}

type Value = string | number | boolean;
type Subject = { scope: 'trace'; trace: TraceFacts } | { scope: 'service' | 'edge'; segment: SegmentFacts } | { scope: 'rootcause'; cause: RootCauseFacts };

export function matchesFilter(node: FilterNode, trace: TraceFacts, ctx: EvaluationContext = {}): boolean {
  return evaluate(node, { scope: 'trace', trace }, trace, ctx, new Set());
}

function evaluate(node: FilterNode, subject: Subject, trace: TraceFacts, ctx: EvaluationContext, groups: Set<string>): boolean {
  const inner = (n: FilterNode, s: Subject): boolean => evaluate(n, s, trace, ctx, groups);
  switch (node.kind) {
    case 'and': return inner(node.left, subject) && inner(node.right, subject);
    case 'or': return inner(node.left, subject) || inner(node.right, subject);
    case 'not': return !inner(node.operand, subject);
    case 'keyword': return test(valuesOf(node.keyword, subject), node.op, node.value, KEYWORDS.get(node.keyword)?.type === 'boolean');
    case 'annotation': {
      const values = trace.annotations.get(node.key) ?? [];
      // "true if the keyword is set. If the keyword is of boolean type, it will evaluate to the boolean value."
      if (!node.op) return values.some((v) => v !== false);
      return test(values, node.op, node.value, false);
    }
    case 'service':
      return trace.services.some((s) => selects(node.node, s) && (!node.filter || inner(node.filter, { scope: 'service', segment: s })));
    case 'edge':
      return trace.edges.some((e) => selects(node.source, e.source) && selects(node.destination, e.destination)
        && (!node.filter || inner(node.filter, { scope: 'edge', segment: e.call })));
    case 'rootcause':
      return (trace.rootCauses?.[node.cause]?.[node.level] ?? []).some((cause) => inner(node.filter, { scope: 'rootcause', cause }));
    case 'group': {
      const key = `${node.by}:${node.value}`;
      const expr = groups.has(key) ? undefined : ctx.group?.(node.by, node.value);
      // A group that names itself (directly or through others) matches nothing rather than looping.
      const matched = expr !== undefined && evaluate(expr, { scope: 'trace', trace }, trace, ctx, new Set([...groups, key]));
      return node.op === '=' ? matched : !matched;
    }
  }
}

function selects(selector: NodeSelector, node: NodeIdentity): boolean {
  return (selector.name === undefined || selector.name === node.name)
    && (selector.type === undefined || selector.type === node.type)
    && (selector.accountId === undefined || selector.accountId === node.accountId);
}

/** A bare keyword tests truth (booleans) or presence (others); with an operator, any value may match. */
function test(values: readonly Value[], op: CompareOp | undefined, literal: Literal | undefined, isBoolean: boolean): boolean {
  if (!op || !literal) return isBoolean ? values.some((v) => v === true) : values.length > 0;
  return values.some((v) => compare(v, op, literal));
}

function compare(v: Value, op: CompareOp, literal: Literal): boolean {
  if (typeof v !== typeof literal.value) return false;
  const x = literal.value;
  switch (op) {
    case '=': return v === x;
    case '!=': return v !== x;
    case '<': return v < x;
    case '<=': return v <= x;
    case '>': return v > x;
    case '>=': return v >= x;
    case 'CONTAINS': return (v as string).includes(x as string);
    case 'BEGINSWITH': return (v as string).startsWith(x as string);
    case 'ENDSWITH': return (v as string).endsWith(x as string);
  }
}

function valuesOf(keyword: string, subject: Subject): Value[] {
  if (subject.scope === 'rootcause') return present(rootCauseValue(keyword, subject.cause));
  if (subject.scope === 'trace') return traceValues(keyword, subject.trace);
  return present(segmentValue(keyword, subject.segment));
}

function traceValues(keyword: string, trace: TraceFacts): Value[] {
  switch (keyword) {
    case 'duration': return [trace.duration];
    case 'partial': return [trace.partial];
    case 'user': return [...trace.users];
    case 'availabilityzone': return [...trace.availabilityZones];
    case 'instance.id': return [...trace.instanceIds];
    case 'resource.arn': return [...trace.resourceArns];
    default: return present(segmentValue(keyword, trace.root));
  }
}

function segmentValue(keyword: string, s: SegmentFacts): Value | undefined {
  switch (keyword) {
    case 'ok': return s.ok ?? false;
    case 'error': return s.error ?? false;
    case 'throttle': return s.throttle ?? false;
    case 'fault': return s.fault ?? false;
    case 'partial': return s.partial ?? false;
    case 'root': return s.root ?? false;
    case 'inferred': return s.inferred ?? false;
    case 'responsetime': return s.responseTime;
    case 'duration': return s.duration ?? s.responseTime;
    case 'http.status': return s.http?.status;
    case 'http.url': return s.http?.url;
    case 'http.method': return s.http?.method;
    case 'http.useragent': return s.http?.userAgent;
    case 'http.clientip': return s.http?.clientIp;
    case 'user': return s.user;
    case 'name': return s.name;
    case 'type': return s.type;
    case 'availabilityzone': return s.availabilityZone;
    case 'instance.id': return s.instanceId;
    case 'resource.arn': return s.resourceArn;
    default: return undefined;
  }
}

function rootCauseValue(keyword: string, r: RootCauseFacts): Value | undefined {
  switch (keyword) {
    case 'first': return r.first;
    case 'last': return r.last;
    case 'remote': return r.remote ?? false;
    case 'inferred': return r.inferred ?? false;
    case 'index': return r.index;
    case 'coverage': return r.coverage;
    case 'name': return r.name;
    case 'type': return r.type;
    case 'message': return r.message;
    case 'availabilityzone': return r.availabilityZone;
    case 'instance.id': return r.instanceId;
    case 'resource.arn': return r.resourceArn;
    default: return undefined;
  }
}

function present(v: Value | undefined): Value[] {
  return v === undefined ? [] : [v];
}

