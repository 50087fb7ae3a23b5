import { parseArn } from '../../../lib/arn.ts';

/**
 * The ARNs a subscription filter can point at, and where Osprey really sends them:
 * - a Lambda function ARN → the HTTP(S) URL mapped to it (`lambda.functions` / OSPREY_LAMBDA_URLS),
 *   invoked with CloudWatch's Lambda event `{"awslogs":{"data":"<base64 gzip>"}}`;
 * - a Kinesis stream or Firehose delivery stream ARN → a sink (`streams` / OSPREY_STREAM_SINKS):
 *   `file:///abs/path` appends one record per line (base64 of the gzip payload, what
 *   `base64 -d | zcat` reads) or `http(s)://…` receives records in Firehose's HTTP endpoint
 *   delivery format;
 * - a CloudWatch Logs destination ARN (PutDestination) → its target stream.
 */
export type TargetKind = 'lambda' | 'kinesis' | 'firehose' | 'destination';

export interface ParsedTargetArn {
  kind: TargetKind;
  arn: string;
  region: string;
  account: string;
  /** Function, stream, delivery stream or destination name. */
  name: string;
}

export function parseTargetArn(value: string): ParsedTargetArn | undefined {
  const p = parseArn(value);
  if (!p || !p.region || !/^\d{12}$/.test(p.account)) return undefined;
  const base = { arn: value, region: p.region, account: p.account };
  let m: RegExpExecArray | null;
  if (p.service === 'lambda' && (m = /^function:([A-Za-z0-9_-]{1,64})(:[A-Za-z0-9$_-]+)?$/.exec(p.resource))) {
    return { kind: 'lambda', ...base, name: m[1] };
  }
  if (p.service === 'kinesis' && (m = /^stream\/([A-Za-z0-9_.-]{1,128})$/.exec(p.resource))) {
    return { kind: 'kinesis', ...base, name: m[1] };
  }
  if (p.service === 'firehose' && (m = /^deliverystream\/([A-Za-z0-9_.-]{1,64})$/.exec(p.resource))) {
    return { kind: 'firehose', ...base, name: m[1] };
  }
  if (p.service === 'logs' && (m = /^destination:([^:*]{1,512})$/.exec(p.resource))) {
    return { kind: 'destination', ...base, name: m[1] };
  }
  return undefined;
}

import { parseStreamSink, type StreamSink } from '../../../server/targets/firehose-sink.ts';

export type { StreamSink };

export interface DeliveryTargetsConfig {
  /** Lambda function ARN → URL. */
  lambdaFunctions: Record<string, string>;
  /** Kinesis / Firehose stream ARN → `file:///…` or `http(s)://…`. */
  streams: Record<string, string>;
}

function parseHttpUrl(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves target ARNs against the configured mappings; built once from the config at start-up. */
export class DeliveryTargets {
  private readonly lambdas = new Map<string, string>();
  private readonly sinks = new Map<string, StreamSink>();
  private readonly issues: string[] = [];

  constructor(cfg: DeliveryTargetsConfig) {
    for (const [arn, url] of Object.entries(cfg.lambdaFunctions ?? {})) {
      const parsed = parseTargetArn(arn);
      const u = typeof url === 'string' ? parseHttpUrl(url) : undefined;
      if (parsed?.kind !== 'lambda') this.issues.push(`lambda.functions: "${arn}" is not a Lambda function ARN`);
      else if (!u) this.issues.push(`lambda.functions: the URL for ${arn} must be an http:// or https:// URL, got "${url}"`);
      else this.lambdas.set(arn, u);
    }
    for (const [arn, value] of Object.entries(cfg.streams ?? {})) {
      const parsed = parseTargetArn(arn);
      const sink = parseStreamSink(value);
      if (parsed?.kind !== 'kinesis' && parsed?.kind !== 'firehose') {
        this.issues.push(`streams: "${arn}" is not a Kinesis stream or Firehose delivery stream ARN`);
      } else if (!sink) {
        this.issues.push(`streams: the sink for ${arn} must be file:///absolute/path or an http(s):// URL, got "${value}"`);
      } else {
        this.sinks.set(arn, sink);
      }
    }
  }

  /** Config entries that were ignored, to log at start-up. */
  problems(): string[] {
    return [...this.issues];
  }

  /** The URL for a function ARN; a qualified ARN (`:alias`, `:3`) falls back to the unqualified one. */
  lambdaUrl(arn: string): string | undefined {
    const exact = this.lambdas.get(arn);
    if (exact !== undefined) return exact;
    const parsed = parseTargetArn(arn);
    if (parsed?.kind !== 'lambda') return undefined;
    // arn:<partition>:lambda:<region>:<account>:function:<name>, whatever the partition.
    return this.lambdas.get(arn.split(':').slice(0, 7).join(':'));
  }

  streamSink(arn: string): StreamSink | undefined {
    return this.sinks.get(arn);
  }
}
