/** One API call as CloudTrail will later report it. Recorded for every request, success or not. */
export interface AuditRecord {
  eventTime: number; // epoch ms
  requestId: string;
  service: string; // e.g. 'logs'
  eventSource: string; // e.g. 'logs.amazonaws.com'
  operation: string;
  account: string;
  region: string;
  principalArn: string;
  accessKeyId: string;
  sourceIp: string;
  userAgent: string;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  durationMs: number;
}

/** Where audit records go; must not throw or slow the request (buffer internally). */
export interface AuditSink {
  record(r: AuditRecord): void;
}
