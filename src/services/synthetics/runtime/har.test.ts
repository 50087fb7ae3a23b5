import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HarRecorder, harTimings, type CdpTiming } from './har.ts';
import { harHtml, scriptSafeJson } from './har-html.ts';

const identity = { url: (u: string) => u, headers: (h: Record<string, string>) => h };
const timing: CdpTiming = {
  requestTime: 100,
  dnsStart: 1,
  dnsEnd: 3,
  connectStart: 3,
  connectEnd: 8,
  sslStart: 5,
  sslEnd: 8,
  sendStart: 9,
  sendEnd: 10,
  receiveHeadersEnd: 30,
};

test('HAR timings come from CDP resource timing', () => {
  assert.deepEqual(harTimings(timing, 50), { blocked: 1, dns: 2, connect: 5, ssl: 3, send: 1, wait: 20, receive: 20 });
  const reused = { ...timing, dnsStart: -1, dnsEnd: -1, connectStart: -1, connectEnd: -1, sslStart: -1, sslEnd: -1 };
  assert.deepEqual(harTimings(reused, 30), { blocked: 9, dns: -1, connect: -1, ssl: -1, send: 1, wait: 20, receive: 0 });
});

test('a redirect, a finished request, a failed one and a pending one all become entries', () => {
  const h = new HarRecorder();
  h.addPage('page_1');
  const req = (url: string) => ({ url, method: 'GET', headers: { Accept: '*/*' } });
  const res = (url: string, status: number, headers: Record<string, string> = {}) => ({ url, status, statusText: 'x', headers, mimeType: 'text/html', protocol: 'http/1.1', timing });
  h.requestWillBeSent('page_1', { requestId: '1', request: req('http://a/'), timestamp: 100, wallTime: 1_700_000_000, type: 'Document' });
  h.requestWillBeSent('page_1', {
    requestId: '1',
    request: req('http://a/home'),
    timestamp: 100.01,
    wallTime: 1_700_000_000.01,
    type: 'Document',
    redirectResponse: res('http://a/', 302, { Location: '/home' }),
  });
  h.responseReceived('page_1', { requestId: '1', response: res('http://a/home', 200) });
  h.dataReceived('page_1', { requestId: '1', dataLength: 512 });
  h.loadingFinished('page_1', { requestId: '1', timestamp: 100.06, encodedDataLength: 300 });
  h.requestWillBeSent('page_1', { requestId: '2', request: req('http://b/x.js?v=1'), timestamp: 100.07, wallTime: 1_700_000_000.07 });
  h.loadingFailed('page_1', { requestId: '2', timestamp: 100.08, errorText: 'net::ERR_NAME_NOT_RESOLVED' });
  h.requestWillBeSent('page_1', { requestId: '3', request: req('http://c/slow'), timestamp: 100.09, wallTime: 1_700_000_000.09 });
  const har = h.toHar(identity, '1.0');
  assert.equal(har.log.version, '1.2');
  assert.equal(har.log.pages[0]?.title, 'http://a/');
  const [redirect, page, failed, pending] = har.log.entries;
  assert.equal(redirect?.response.status, 302);
  assert.equal(redirect?.response.redirectURL, 'http://a/home');
  assert.equal(page?.response.status, 200);
  assert.deepEqual(page?.response.content, { size: 512, mimeType: 'text/html' });
  assert.equal(page?.response.bodySize, 300);
  assert.equal(page?.startedDateTime, new Date(1_700_000_000_010).toISOString());
  assert.equal(failed?._error, 'net::ERR_NAME_NOT_RESOLVED');
  assert.deepEqual(failed?.request.queryString, [{ name: 'v', value: '1' }]);
  assert.equal(pending?.response.status, 0);
  assert.equal(pending?.response.statusText, 'pending');
});

test('the HTML report embeds the HAR as harOutput, safe inside a script element', () => {
  const h = new HarRecorder();
  h.addPage('page_1');
  h.requestWillBeSent('page_1', { requestId: '1', request: { url: 'http://a/</script><b>', method: 'GET', headers: {} }, timestamp: 1, wallTime: 1 });
  const html = harHtml(h.toHar(identity, '1.0'), 'run <1>');
  assert.match(html, /var harOutput = \{"log":/);
  assert.ok(!html.includes('</script><b>'));
  assert.ok(html.includes('run &lt;1&gt;'));
  assert.equal(JSON.parse(scriptSafeJson({ s: '</script>\u2028' })).s, '</script>\u2028');
});
