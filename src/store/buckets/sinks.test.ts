import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportDestinations, FileSink, S3Sink, keyToRelativePath } from './sinks.ts';

test('object keys map to paths that stay inside the export directory', () => {
  assert.equal(keyToRelativePath('exportedlogs/t/app/1/000000.gz'), join('exportedlogs', 't', 'app', '1', '000000.gz'));
  assert.equal(keyToRelativePath('p/../../etc/passwd'), join('p', '%2E%2E', '%2E%2E', 'etc', 'passwd'));
  assert.equal(keyToRelativePath('p/./x'), join('p', '%2E', 'x'));
  assert.equal(keyToRelativePath('p//x'), join('p', '%', 'x'));
  assert.equal(keyToRelativePath('/abs'), join('%', 'abs'));
  // '%' itself is escaped, so an escaped name cannot collide with a literal one.
  assert.notEqual(keyToRelativePath('p/%2E%2E'), keyToRelativePath('p/..'));
});

test('FileSink writes whole objects (no temp files left) and overwrites on a rerun', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-filesink-'));
  try {
    const sink = new FileSink(dir);
    await sink.put('exportedlogs/task/s/000000.gz', Buffer.from('one'));
    await sink.put('exportedlogs/task/s/000000.gz', Buffer.from('two'));
    await sink.put('x/../y', Buffer.from('escaped'));
    assert.equal(readFileSync(join(dir, 'exportedlogs/task/s/000000.gz'), 'utf8'), 'two');
    assert.deepEqual(readdirSync(join(dir, 'exportedlogs/task/s')), ['000000.gz']);
    assert.equal(readFileSync(join(dir, 'x', '%2E%2E', 'y'), 'utf8'), 'escaped');
    await assert.rejects(sink.put('a', Buffer.from('z'), AbortSignal.abort()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('S3Sink PUTs path-style to the configured endpoint, signed with the configured key', async () => {
  const seen: { method: string; url: string; auth: string; body: string; headers: Record<string, unknown> }[] = [];
  const server = createServer(async (req, res) => {
    seen.push({ method: req.method!, url: req.url!, auth: String(req.headers.authorization), body: (await body(req)).toString(), headers: req.headers });
    res.writeHead(200, { ETag: '"x"' }).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sink = new S3Sink({ bucket: 'real-bucket', endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKEXPORT', secretAccessKey: 's' } });
  try {
    await sink.put('pre fix/aws-logs-write-test', Buffer.from('Permission Check Successful'));
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'PUT');
    assert.equal(new URL(seen[0].url, endpoint).pathname, '/real-bucket/pre%20fix/aws-logs-write-test');
    assert.equal(seen[0].body, 'Permission Check Successful');
    assert.match(seen[0].auth, /^AWS4-HMAC-SHA256 Credential=AKEXPORT\/\d{8}\/us-east-1\/s3\/aws4_request/);
    // Plain body, no aws-chunked framing: S3-compatible servers of every vintage accept it.
    assert.equal(seen[0].headers['content-encoding'], undefined);
  } finally {
    await sink.close();
    server.close();
  }
});

test('S3Sink surfaces the endpoint\'s refusal as an error', async () => {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(403, { 'Content-Type': 'application/xml' })
      .end('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sink = new S3Sink({ bucket: 'b-b', endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } });
  try {
    await assert.rejects(sink.put('k', Buffer.from('x')), /Access Denied/);
  } finally {
    await sink.close();
    server.close();
  }
});

test('ExportDestinations knows only the configured buckets', () => {
  const d = new ExportDestinations({ buckets: { local: 'file:///tmp/x', remote: 's3://r-r@http://127.0.0.1:1' } });
  assert.ok(d.sink('local') instanceof FileSink);
  assert.ok(d.sink('remote') instanceof S3Sink);
  assert.equal(d.sink('local'), d.sink('local'), 'sinks are shared');
  assert.equal(d.sink('other'), undefined);
});

test('FileSink keeps metadata beside each object, reads objects back and lists keys in S3 order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-filesink-'));
  try {
    const sink = new FileSink(dir);
    await sink.put('a/b/digest.json.gz', Buffer.from('d'), undefined, { signature: 'abcd', 'signature-algorithm': 'SHA256withRSA' });
    await sink.put('a/b/log.json.gz', Buffer.from('l'));
    await sink.put('a/../weird//key', Buffer.from('w'));
    await sink.put('a/%metadata', Buffer.from('not metadata'));
    assert.deepEqual(await sink.get('a/b/digest.json.gz'), { body: Buffer.from('d'), metadata: { signature: 'abcd', 'signature-algorithm': 'SHA256withRSA' } });
    assert.deepEqual(await sink.get('a/b/log.json.gz'), { body: Buffer.from('l'), metadata: {} });
    assert.equal(await sink.get('a/b/missing'), undefined);
    assert.deepEqual(await sink.list('a/'), ['a/%metadata', 'a/../weird//key', 'a/b/digest.json.gz', 'a/b/log.json.gz']);
    assert.deepEqual(await sink.list('a/b/d'), ['a/b/digest.json.gz']);
    assert.deepEqual(await sink.list('nothing/here'), []);
    // Overwriting without metadata drops the old metadata; the reserved directories never list.
    await sink.put('a/b/digest.json.gz', Buffer.from('d2'));
    assert.deepEqual(await sink.get('a/b/digest.json.gz'), { body: Buffer.from('d2'), metadata: {} });
    assert.equal((await sink.list('')).length, 4);
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')).sort(), ['digest.json.gz', 'log.json.gz']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('S3Sink sends metadata as x-amz-meta-*, reads objects (missing = undefined) and pages through listings', async () => {
  const puts: Record<string, unknown>[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    await body(req);
    if (req.method === 'PUT') {
      puts.push(req.headers);
      res.writeHead(200, { ETag: '"x"' }).end();
    } else if (url.pathname === '/real-bucket/found') {
      res.writeHead(200, { 'x-amz-meta-signature': 'ff00', 'Content-Length': '5' }).end('hello');
    } else if (url.pathname.replace(/\/$/, '') === '/real-bucket' && url.searchParams.get('list-type') === '2') {
      const page2 = url.searchParams.get('continuation-token') === 't2';
      const keys = page2 ? ['p/c'] : ['p/a', 'p/b'];
      res.writeHead(200, { 'Content-Type': 'application/xml' }).end(
        `<?xml version="1.0"?><ListBucketResult><IsTruncated>${!page2}</IsTruncated>${page2 ? '' : '<NextContinuationToken>t2</NextContinuationToken>'}` +
        keys.map((k) => `<Contents><Key>${k}</Key></Contents>`).join('') + '</ListBucketResult>');
    } else {
      res.writeHead(404, { 'Content-Type': 'application/xml' })
        .end('<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sink = new S3Sink({ bucket: 'real-bucket', endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } });
  try {
    await sink.put('k', Buffer.from('x'), undefined, { signature: 'ff00' });
    assert.equal(puts[0]['x-amz-meta-signature'], 'ff00');
    assert.deepEqual(await sink.get('found'), { body: Buffer.from('hello'), metadata: { signature: 'ff00' } });
    assert.equal(await sink.get('missing'), undefined);
    assert.deepEqual(await sink.list('p/'), ['p/a', 'p/b', 'p/c']);
  } finally {
    await sink.close();
    server.close();
  }
});
