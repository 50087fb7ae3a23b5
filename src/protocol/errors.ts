/**
 * The one error type services throw. The protocol layer turns it into the right bytes for the
 * protocol the client spoke (JSON `__type`, Query `<ErrorResponse>`, CBOR, restJson headers).
 */
export interface ServiceErrorOptions {
  /** HTTP status; defaults to 400. */
  status?: number;
  /** true = the caller's fault (Sender), false = ours (Receiver). Defaults to status < 500. */
  sender?: boolean;
  /** Extra members serialised next to the message (e.g. `expectedSequenceToken`). */
  fields?: Record<string, unknown>;
  /** awsQuery code to report when it differs from `code` and the model has no error shape for it. */
  queryCode?: string;
  /** Extra response headers (e.g. Retry-After on a 503). */
  headers?: Record<string, string>;
}

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly sender: boolean;
  readonly fields: Record<string, unknown> | undefined;
  readonly queryCode: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: string, message: string, opts: ServiceErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = opts.status ?? 400;
    this.sender = opts.sender ?? this.status < 500;
    this.fields = opts.fields;
    this.queryCode = opts.queryCode;
    this.headers = opts.headers;
  }
}

export const isServiceError = (e: unknown): e is ServiceError => e instanceof ServiceError;

/**
 * An error from below the services that means "temporarily unable, retry later" (the ingest path is
 * overloaded, the write-ahead log could not be written). Stores mark such errors with
 * `retryAfterSeconds`; the protocol answers AWS's ServiceUnavailable (503, Receiver) with a
 * Retry-After header, which every AWS SDK retries with backoff — never a 500, never a 200.
 */
export interface TemporarilyUnavailable extends Error {
  readonly retryAfterSeconds: number;
}

export const isTemporarilyUnavailable = (e: unknown): e is TemporarilyUnavailable =>
  e instanceof Error && typeof (e as Partial<TemporarilyUnavailable>).retryAfterSeconds === 'number';

export function unavailableError(e: TemporarilyUnavailable): ServiceError {
  return new ServiceError('ServiceUnavailable', `The service is temporarily unavailable: ${e.message}. Retry the request.`, {
    status: 503, sender: false, headers: { 'Retry-After': String(Math.max(1, Math.ceil(e.retryAfterSeconds))) },
  });
}

/**
 * An error from below the services that means "this input cannot be stored as it is": PostgreSQL
 * holds no U+0000 in text, where SQLite does. Stores mark such errors with `unstorableInput`; the
 * protocol answers the service's own validation error (400), never a 500.
 */
export interface UnstorableInput extends Error {
  readonly unstorableInput: true;
}

export const isUnstorableInput = (e: unknown): e is UnstorableInput =>
  e instanceof Error && (e as Partial<UnstorableInput>).unstorableInput === true;
