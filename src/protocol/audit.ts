/** One API call as CloudTrail reports it. Recorded for every request, success or not. */
export interface AuditRecord {
  eventTime: number; // epoch ms
  requestId: string;
  service: string; // e.g. 'logs'
  eventSource: string; // e.g. 'logs.amazonaws.com'
  operation: string;
  /** '' when no key could be identified (the call belongs to no account). */
  account: string;
  region: string;
  principalArn: string;
  accessKeyId: string;
  sourceIp: string;
  userAgent: string;
  /** The Host header the client sent (tlsDetails.clientProvidedHostHeader). */
  host: string;
  /** The console's sign-in form made this call (header `x-osprey-console-login`): a ConsoleLogin event. */
  consoleLogin: boolean;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  durationMs: number;
  /** The decoded input (model member names, domain values), when decoding got that far. */
  input?: unknown;
  /** The handler's output, for calls that succeeded. */
  output?: unknown;
}

/**
 * Where audit records go. The engine awaits the result before answering: a sink that must not lose
 * a record for an answered call (CloudTrail) resolves once the record is durable. Must not be slow.
 */
export interface AuditSink {
  record(r: AuditRecord): void | Promise<void>;
}
