import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAlivePost } from './keep-alive-post.ts';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test('sends beyond the sockets per origin time out while waiting, and free their slots for later sends', async () => {
  const { server, base } = await listen((req, res) => {
    req.resume();
    if (req.url === '/ok') res.end('fine');
  });
  try {
    const signal = new AbortController().signal;
    const stuck = Array.from({ length: 300 }, () => keepAlivePost(new URL(`${base}/hang`), '{}', {}, signal, 300));
    const outcomes = await Promise.allSettled(stuck);
    assert.ok(outcomes.every((o) => o.status === 'rejected' && (o.reason as Error).name === 'TimeoutError'));
    const res = await keepAlivePost(new URL(`${base}/ok`), '{}', {}, signal, 2000);
    assert.equal(res.status, 200);
    assert.equal(res.text, 'fine');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('aborting the signal rejects sends still waiting for a socket', async () => {
  const { server, base } = await listen((req) => req.resume());
  try {
    const ac = new AbortController();
    const sends = Array.from({ length: 300 }, () => keepAlivePost(new URL(`${base}/hang`), '{}', {}, ac.signal, 10_000));
    setTimeout(() => ac.abort(new Error('stop')), 100);
    const outcomes = await Promise.allSettled(sends);
    assert.ok(outcomes.every((o) => o.status === 'rejected' && (o.reason as Error).name === 'AbortError'));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
