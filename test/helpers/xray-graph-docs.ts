/**
 * Traces that exercise the service graph's corners (streamed subsegments, in-progress then complete
 * segments, inferred AWS and remote nodes, a segment called by a segment, orphans, every status),
 * and a normal form of GetServiceGraph's answer to compare two graphs by.
 */
import { randomBytes } from 'node:crypto';
import type { Service } from '@aws-sdk/client-xray';

const hex = (n: number) => randomBytes(n).toString('hex');

/** Documents of traces starting around `now` (epoch seconds). */
export function graphDocs(now: number) {
  const newTraceId = () => `1-${now.toString(16)}-${hex(12)}`;

  /** checkout (in progress, then complete) → streamed subsegment → payments; a streamed DynamoDB call; a 429 remote call. */
  function streamed(status: number): string[] {
    const trace_id = newTraceId();
    const root = hex(8);
    const call = hex(8);
    const t = now + Math.random();
    const rootDoc = { trace_id, id: root, name: 'checkout', origin: 'AWS::EC2::Instance', start_time: t, http: { response: { status } } };
    return [
      JSON.stringify({ ...rootDoc, in_progress: true }),
      JSON.stringify({ type: 'subsegment', trace_id, parent_id: root, id: call, name: 'payments', namespace: 'remote', start_time: t + 0.01, end_time: t + 0.2, http: { response: { status: 200 } } }),
      JSON.stringify({ trace_id, id: hex(8), parent_id: call, name: 'payments', start_time: t + 0.02, end_time: t + 0.19, ...(status >= 500 ? { fault: true } : {}) }),
      JSON.stringify({ type: 'subsegment', trace_id, parent_id: root, id: hex(8), name: 'DynamoDB', namespace: 'aws', start_time: t + 0.2, end_time: t + 0.23, aws: { table_name: 'orders', operation: 'PutItem' } }),
      JSON.stringify({ ...rootDoc, end_time: t + 0.3, subsegments: [{ id: hex(8), name: 'rates.example', namespace: 'remote', start_time: t + 0.25, end_time: t + 0.26, http: { response: { status: 429 } } }] }),
    ];
  }

  /** A Lambda service segment calling its function segment (parent = a segment id), an orphan streamed subsegment, a lone in-progress segment. */
  function edges(): string[] {
    const trace_id = newTraceId();
    const svc = hex(8);
    const t = now + 1;
    return [
      JSON.stringify({ trace_id, id: svc, name: 'resize', origin: 'AWS::Lambda', start_time: t, end_time: t + 0.5 }),
      JSON.stringify({ trace_id, id: hex(8), parent_id: svc, name: 'resize', origin: 'AWS::Lambda::Function', start_time: t + 0.01, end_time: t + 0.45, error: true }),
      JSON.stringify({ type: 'subsegment', trace_id, parent_id: hex(8), id: hex(8), name: 'S3', namespace: 'aws', start_time: t + 0.1, end_time: t + 0.2 }),
      JSON.stringify({ trace_id: newTraceId(), id: hex(8), name: 'worker', start_time: t, in_progress: true }),
    ];
  }

  return { streamed, edges };
}

/** Services with reference ids replaced by node keys, in a stable order. */
export function normalize(services: Service[]): unknown[] {
  const key = (s: Service) => `${s.Name}|${s.Type ?? ''}|${s.AccountId ?? ''}`;
  const byRef = new Map(services.map((s) => [s.ReferenceId, key(s)]));
  return [...services].sort((a, b) => key(a).localeCompare(key(b))).map((s) => ({
    ...s, ReferenceId: undefined,
    Edges: (s.Edges ?? []).map((e) => ({ ...e, ReferenceId: byRef.get(e.ReferenceId) })).sort((a, b) => String(a.ReferenceId).localeCompare(String(b.ReferenceId))),
  }));
}
