/**
 * Builds a HAR 1.2 log from Chrome DevTools Protocol Network events. Pure: the puppeteer and the
 * playwright families both feed it the same CDP events (cdp-network.ts), so one HAR shape serves
 * both. Requests that never finished stay in the HAR as pending/failed entries, as AWS's HAR shows
 * "bad, pending, and incomplete requests".
 */

/** The subset of CDP's Network.ResourceTiming the HAR timings come from (ms after requestTime). */
export interface CdpTiming {
  requestTime: number;
  dnsStart: number;
  dnsEnd: number;
  connectStart: number;
  connectEnd: number;
  sslStart: number;
  sslEnd: number;
  sendStart: number;
  sendEnd: number;
  receiveHeadersEnd: number;
}

export interface CdpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  postData?: string;
}

export interface CdpResponse {
  url: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  mimeType: string;
  protocol?: string;
  remoteIPAddress?: string;
  encodedDataLength?: number;
  timing?: CdpTiming;
}

export interface HarSanitizer {
  url(url: string): string;
  headers(headers: Record<string, string>): Record<string, string>;
}

interface Pending {
  pageref: string;
  wallTime: number;
  startTs: number;
  request: CdpRequest;
  response?: CdpResponse;
  endTs?: number;
  encoded?: number;
  decoded: number;
  error?: string;
}

export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  cache: Record<string, never>;
  timings: Record<string, number>;
  serverIPAddress?: string;
  _error?: string;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: { startedDateTime: string; id: string; title: string; pageTimings: { onContentLoad: number; onLoad: number } }[];
    entries: HarEntry[];
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** HAR timings from CDP's ResourceTiming; -1 where a phase did not happen (reused connection…). */
export function harTimings(t: CdpTiming | undefined, totalMs: number): Record<string, number> {
  if (!t) return { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: round(Math.max(totalMs, 0)), receive: 0 };
  const firstPhase = [t.dnsStart, t.connectStart, t.sendStart].find((v) => v >= 0) ?? 0;
  const receive = Math.max(totalMs - t.receiveHeadersEnd, 0);
  return {
    blocked: round(Math.max(firstPhase, 0)),
    dns: t.dnsStart >= 0 ? round(t.dnsEnd - t.dnsStart) : -1,
    connect: t.connectStart >= 0 ? round(t.connectEnd - t.connectStart) : -1,
    ssl: t.sslStart >= 0 ? round(t.sslEnd - t.sslStart) : -1,
    send: round(Math.max(t.sendEnd - t.sendStart, 0)),
    wait: round(Math.max(t.receiveHeadersEnd - t.sendEnd, 0)),
    receive: round(receive),
  };
}

function nameValues(headers: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value: String(value) }));
}

function queryString(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function httpVersion(protocol: string | undefined): string {
  if (!protocol) return 'HTTP/1.1';
  if (protocol === 'h2') return 'HTTP/2';
  if (protocol === 'h3') return 'HTTP/3';
  return protocol.toUpperCase();
}

function redirectUrl(location: string, base: string, sanitize: HarSanitizer): string {
  if (!location) return '';
  try {
    return sanitize.url(new URL(location, base).toString());
  } catch {
    return location;
  }
}

export class HarRecorder {
  private readonly open = new Map<string, Pending>();
  private readonly done: Pending[] = [];
  private readonly pages: { id: string; title: string; wallTime?: number }[] = [];

  addPage(id: string): void {
    this.pages.push({ id, title: '' });
  }

  requestWillBeSent(pageref: string, e: { requestId: string; request: CdpRequest; timestamp: number; wallTime: number; type?: string; redirectResponse?: CdpResponse }): void {
    const key = `${pageref}:${e.requestId}`;
    const previous = this.open.get(key);
    // A redirect reuses the requestId: the hop so far becomes its own entry, ended by the 3xx.
    if (previous && e.redirectResponse) {
      previous.response = e.redirectResponse;
      previous.endTs = e.timestamp;
      previous.encoded = e.redirectResponse.encodedDataLength;
      this.finish(key, previous);
    }
    const page = this.pages.find((p) => p.id === pageref);
    if (page && !page.title && e.type === 'Document') {
      page.title = e.request.url;
      page.wallTime = e.wallTime;
    }
    this.open.set(key, { pageref, wallTime: e.wallTime, startTs: e.timestamp, request: e.request, decoded: 0 });
  }

  responseReceived(pageref: string, e: { requestId: string; response: CdpResponse }): void {
    const p = this.open.get(`${pageref}:${e.requestId}`);
    if (p) p.response = e.response;
  }

  dataReceived(pageref: string, e: { requestId: string; dataLength: number }): void {
    const p = this.open.get(`${pageref}:${e.requestId}`);
    if (p) p.decoded += e.dataLength;
  }

  loadingFinished(pageref: string, e: { requestId: string; timestamp: number; encodedDataLength: number }): void {
    const key = `${pageref}:${e.requestId}`;
    const p = this.open.get(key);
    if (!p) return;
    p.endTs = e.timestamp;
    p.encoded = e.encodedDataLength;
    this.finish(key, p);
  }

  loadingFailed(pageref: string, e: { requestId: string; timestamp: number; errorText: string }): void {
    const key = `${pageref}:${e.requestId}`;
    const p = this.open.get(key);
    if (!p) return;
    p.endTs = e.timestamp;
    p.error = e.errorText;
    this.finish(key, p);
  }

  get entryCount(): number {
    return this.done.length + this.open.size;
  }

  toHar(sanitize: HarSanitizer, creatorVersion: string): Har {
    const all = [...this.done, ...this.open.values()].sort((a, b) => a.startTs - b.startTs);
    const firstWall = all[0]?.wallTime ?? Date.now() / 1000;
    return {
      log: {
        version: '1.2',
        creator: { name: 'Osprey CloudWatch Synthetics', version: creatorVersion },
        pages: this.pages.map((p) => ({
          startedDateTime: new Date((p.wallTime ?? firstWall) * 1000).toISOString(),
          id: p.id,
          title: p.title ? sanitize.url(p.title) : p.id,
          pageTimings: { onContentLoad: -1, onLoad: -1 },
        })),
        entries: all.map((p) => this.entry(p, sanitize)),
      },
    };
  }

  private finish(key: string, p: Pending): void {
    this.open.delete(key);
    this.done.push(p);
  }

  private entry(p: Pending, sanitize: HarSanitizer): HarEntry {
    const total = p.endTs !== undefined ? (p.endTs - p.startTs) * 1000 : 0;
    const timings = harTimings(p.response?.timing, total);
    const time = round(['blocked', 'dns', 'connect', 'send', 'wait', 'receive'].reduce((s, k) => s + Math.max(timings[k] ?? 0, 0), 0));
    const r = p.response;
    const location = r?.headers.location ?? r?.headers.Location ?? '';
    const entry: HarEntry = {
      pageref: p.pageref,
      startedDateTime: new Date(p.wallTime * 1000).toISOString(),
      time,
      request: {
        method: p.request.method,
        url: sanitize.url(p.request.url),
        httpVersion: httpVersion(r?.protocol),
        headers: nameValues(sanitize.headers(p.request.headers)),
        queryString: queryString(sanitize.url(p.request.url)),
        cookies: [],
        headersSize: -1,
        bodySize: p.request.postData ? Buffer.byteLength(p.request.postData) : 0,
        ...(p.request.postData !== undefined ? { postData: { mimeType: p.request.headers['Content-Type'] ?? '', text: p.request.postData } } : {}),
      },
      response: {
        status: r?.status ?? 0,
        statusText: r?.statusText ?? (p.error ?? (p.endTs === undefined ? 'pending' : '')),
        httpVersion: httpVersion(r?.protocol),
        headers: nameValues(sanitize.headers(r?.headers ?? {})),
        cookies: [],
        content: { size: p.decoded, mimeType: r?.mimeType ?? '' },
        redirectURL: redirectUrl(location, p.request.url, sanitize),
        headersSize: -1,
        bodySize: p.encoded ?? -1,
      },
      cache: {},
      timings,
    };
    if (r?.remoteIPAddress) entry.serverIPAddress = r.remoteIPAddress.replace(/^\[|\]$/g, '');
    if (p.error) entry._error = p.error;
    return entry;
  }
}
