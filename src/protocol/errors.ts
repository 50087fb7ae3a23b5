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
}

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly sender: boolean;
  readonly fields: Record<string, unknown> | undefined;
  readonly queryCode: string | undefined;

  constructor(code: string, message: string, opts: ServiceErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = opts.status ?? 400;
    this.sender = opts.sender ?? this.status < 500;
    this.fields = opts.fields;
    this.queryCode = opts.queryCode;
  }
}

export const isServiceError = (e: unknown): e is ServiceError => e instanceof ServiceError;
