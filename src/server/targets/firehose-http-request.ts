/**
 * Firehose's HTTP endpoint delivery request ("HTTP endpoint delivery request and response
 * specifications"): a JSON body `{"requestId","timestamp","records":[{"data":"<base64>"}]}`, optionally
 * gzipped (Content-Encoding: gzip), with X-Amz-Firehose-Protocol-Version 1.0, X-Amz-Firehose-Request-Id
 * (the same for every attempt of the same records), X-Amz-Firehose-Source-Arn and, when configured,
 * X-Amz-Firehose-Access-Key and X-Amz-Firehose-Common-Attributes. Shared by the Firehose service's
 * HTTP endpoint destinations and the `streams` sink of Logs subscriptions and metric streams.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface FirehoseRequest {
  requestId: string;
  /** ms since the epoch at which the request was generated. */
  timestamp: number;
  /** Base64 of each record's bytes. */
  records: string[];
  sourceArn: string;
  accessKey?: string;
  commonAttributes?: Record<string, string>;
  gzip?: boolean;
}

export function firehoseRequest(r: FirehoseRequest): { body: string | Buffer; headers: Record<string, string> } {
  const json = JSON.stringify({ requestId: r.requestId, timestamp: r.timestamp, records: r.records.map((data) => ({ data })) });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amz-firehose-protocol-version': '1.0',
    'x-amz-firehose-request-id': r.requestId,
    'x-amz-firehose-source-arn': r.sourceArn,
  };
  if (r.accessKey) headers['x-amz-firehose-access-key'] = r.accessKey;
  if (r.commonAttributes && Object.keys(r.commonAttributes).length > 0) {
    headers['x-amz-firehose-common-attributes'] = JSON.stringify({ commonAttributes: r.commonAttributes });
  }
  if (!r.gzip) return { body: json, headers };
  return { body: gzipSync(json), headers: { ...headers, 'content-encoding': 'gzip' } };
}

/**
 * Consecutive [start, end) ranges of records that fit one request: at most `maxRecords` records and
 * `maxBytes` of base64 (a single larger record still goes alone).
 */
export function requestChunks(records: readonly string[], maxRecords: number, maxBytes: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < records.length;) {
    let end = start;
    let bytes = 0;
    while (end < records.length && end - start < maxRecords && (end === start || bytes + records[end]!.length <= maxBytes)) {
      bytes += records[end]!.length;
      end++;
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** A UUID-shaped id derived from `key`: the same records get the same request id on every retry. */
export function stableRequestId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
