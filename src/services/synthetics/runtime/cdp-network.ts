/**
 * Listens to one page's Chrome DevTools Protocol Network events — the same events whether the page
 * is puppeteer's or playwright's — and feeds the HAR recording, the request counts and the
 * request/response log lines (logRequest/logResponse and their header/body options).
 */
import type { CdpRequest, CdpResponse } from './har.ts';
import type { RequestResponseLogHelper } from './request-response-log-helper.ts';
import type { RunContext } from './run-context.ts';

/** The part of a puppeteer or playwright CDPSession used here. */
export interface CdpSessionLike {
  on(event: string, listener: (params: never) => void): unknown;
  send(method: 'Network.enable'): Promise<unknown>;
}

interface RequestWillBeSent {
  requestId: string;
  request: CdpRequest;
  timestamp: number;
  wallTime: number;
  type?: string;
  redirectResponse?: CdpResponse;
}

/** Requests the browser answers itself (data:, blob:…) are not network traffic for the counts. */
const isNetwork = (url: string) => /^(https?|wss?):/i.test(url);

export class NetworkLog {
  private readonly answered = new Set<string>();
  private readonly urls = new Map<string, string>();
  legacyHelper: RequestResponseLogHelper | undefined;

  constructor(private readonly ctx: RunContext) {}

  async attach(session: CdpSessionLike, pageref: string): Promise<void> {
    const { ctx } = this;
    ctx.har.addPage(pageref);
    const on = <T>(event: string, fn: (e: T) => void) => session.on(event, fn as (params: never) => void);
    on<RequestWillBeSent>('Network.requestWillBeSent', (e) => {
      const key = `${pageref}:${e.requestId}`;
      if (e.redirectResponse) this.onResponse(key, e.redirectResponse);
      this.urls.set(key, e.request.url);
      ctx.har.requestWillBeSent(pageref, e);
      this.logRequest(e.request);
    });
    on<{ requestId: string; response: CdpResponse }>('Network.responseReceived', (e) => {
      this.onResponse(`${pageref}:${e.requestId}`, e.response);
      ctx.har.responseReceived(pageref, e);
    });
    on<{ requestId: string; dataLength: number }>('Network.dataReceived', (e) => ctx.har.dataReceived(pageref, e));
    on<{ requestId: string; timestamp: number; encodedDataLength: number }>('Network.loadingFinished', (e) => ctx.har.loadingFinished(pageref, e));
    on<{ requestId: string; timestamp: number; errorText: string; canceled?: boolean }>('Network.loadingFailed', (e) => {
      const key = `${pageref}:${e.requestId}`;
      const url = this.urls.get(key) ?? '';
      // A request the page itself abandoned (navigation away) is not a failure of the site.
      if (!this.answered.has(key) && !e.canceled && isNetwork(url)) {
        ctx.counter.failure();
        ctx.logger.warn(`Request failed: ${ctx.sanitizeUrl(url)} ${e.errorText}`);
      }
      ctx.har.loadingFailed(pageref, e);
    });
    await session.send('Network.enable');
  }

  private onResponse(key: string, r: CdpResponse): void {
    this.answered.add(key);
    if (!isNetwork(r.url)) return;
    this.ctx.counter.response(r.status);
    const cfg = this.ctx.config;
    if (!cfg.get('logResponse')) return;
    const headers = cfg.get('logResponseHeaders') || this.legacyHelper?.response.headers;
    const extra = headers ? ` ${JSON.stringify(this.ctx.logHelper.getSanitizedHeaders(r.headers))}` : '';
    this.ctx.logger.info(`Response: ${r.status} ${r.statusText} ${this.ctx.sanitizeUrl(r.url)}${extra}`);
  }

  private logRequest(req: CdpRequest): void {
    const cfg = this.ctx.config;
    if (!cfg.get('logRequest') || !isNetwork(req.url)) return;
    const headers = cfg.get('logRequestHeaders') || this.legacyHelper?.request.headers;
    const body = (cfg.get('logRequestBody') || this.legacyHelper?.request.postData) && req.postData;
    const extra = `${headers ? ` ${JSON.stringify(this.ctx.logHelper.getSanitizedHeaders(req.headers))}` : ''}${body ? ` ${req.postData}` : ''}`;
    this.ctx.logger.info(`Request: ${req.method} ${this.ctx.sanitizeUrl(req.url)}${extra}`);
  }
}
