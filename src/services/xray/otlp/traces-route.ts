/**
 * OTLP/HTTP trace export, `POST /v1/traces`, as AWS's X-Ray OTLP endpoint takes it (SigV4 with the
 * `xray` signing name, unless `otlpUnsigned`; the HTTP side is protocol/otlp/export-route.ts).
 * Spans become X-Ray segment documents (span-to-segment.ts) stored like PutTraceSegments' — so they
 * appear in BatchGetTraces, GetTraceSummaries and the service graph. Spans X-Ray would refuse are
 * counted in the partial success, as the OTLP spec asks.
 */
import { decodeTraces } from '../../../protocol/otlp/decode-traces.ts';
import { otlpRoute } from '../../../protocol/otlp/export-route.ts';
import type { Env, HttpRoute } from '../../../server/module.ts';
import type { XrayDeps } from '../deps.ts';
import { storeDocuments } from '../put-trace-segments.ts';
import { spanToSegment } from './span-to-segment.ts';

export function otlpTracesRoute(deps: XrayDeps, env: Env): HttpRoute {
  return otlpRoute(env.config, 'traces', async ({ scope, body, contentType }) => {
    const docs = decodeTraces(body, contentType).flatMap((rs) => rs.spans.map((s) => {
      const doc = spanToSegment(s, rs.resource);
      return { doc, text: JSON.stringify(doc) };
    }));
    const { unprocessed } = await storeDocuments(deps, scope, docs, { checkTraceEpoch: false });
    return { rejected: unprocessed.length, message: `Rejected spans: ${unprocessed.map((u) => `${u.Id ?? '?'}: ${u.ErrorCode}`).slice(0, 5).join('; ')}` };
  });
}
