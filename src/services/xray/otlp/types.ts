/**
 * OTLP trace data after decoding (protobuf or OTLP/JSON): ids as lowercase hex, times as bigint
 * nanoseconds, attributes as plain values. The decoders produce this shape; the mapping to X-Ray
 * segments reads only this.
 */
export type AttrValue = string | number | boolean | bigint | Uint8Array | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Readonly<Record<string, AttrValue>>;

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

export interface OtlpResource {
  attributes: Attributes;
}
