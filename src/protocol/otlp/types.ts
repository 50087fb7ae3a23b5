/**
 * OTLP data after decoding (protobuf or OTLP/JSON): ids as lowercase hex ('' when absent), times as
 * bigint nanoseconds, attributes as plain values. The decoders produce these shapes; the services'
 * mappings (spans → X-Ray segments, log records → log events, data points → metric points) read
 * only these.
 */
export type AttrValue = string | number | boolean | bigint | Uint8Array | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Readonly<Record<string, AttrValue>>;

export interface OtlpResource {
  attributes: Attributes;
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** opentelemetry.proto.trace.v1.Span.SpanKind */
export const SpanKind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
/** opentelemetry.proto.trace.v1.Status.StatusCode */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface OtlpEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface OtlpSpan {
  /** 32 hex digits (W3C trace id). */
  traceId: string;
  /** 16 hex digits. */
  spanId: string;
  /** 16 hex digits, or '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: readonly OtlpEvent[];
  status: { code: number; message: string };
}

export interface OtlpLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttrValue;
  attributes: Attributes;
  flags: number;
  /** 32 hex digits, or ''. */
  traceId: string;
  /** 16 hex digits, or ''. */
  spanId: string;
  eventName: string;
}

/** opentelemetry.proto.metrics.v1.AggregationTemporality */
export const Temporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;

interface PointBase {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** DataPointFlags: bit 0 = no recorded value (a staleness marker). */
  flags: number;
}

export interface NumberPoint extends PointBase {
  value: number;
}

export interface HistogramPoint extends PointBase {
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  /** bucketCounts.length = explicitBounds.length + 1 (the last bucket is unbounded above). */
  bucketCounts: number[];
  explicitBounds: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  count: number;
  sum?: number;
  min?: number;
  max?: number;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  negative: { offset: number; bucketCounts: number[] };
}

export interface SummaryPoint extends PointBase {
  count: number;
  sum: number;
  quantiles: { quantile: number; value: number }[];
}

/** One metric's data; `kind` names the OTLP data oneof that was set. */
export type OtlpMetricData =
  | { kind: 'gauge'; points: NumberPoint[] }
  | { kind: 'sum'; temporality: number; monotonic: boolean; points: NumberPoint[] }
  | { kind: 'histogram'; temporality: number; points: HistogramPoint[] }
  | { kind: 'exponentialHistogram'; temporality: number; points: ExponentialHistogramPoint[] }
  | { kind: 'summary'; points: SummaryPoint[] }
  | { kind: 'none'; points: [] };

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  data: OtlpMetricData;
}
