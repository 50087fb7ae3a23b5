/**
 * The least any server implementing PutMetricData in Node must do per call, and nothing more:
 * receive the body over HTTP, verify its SigV4 signature (Osprey's verifier) and JSON.parse it.
 * Nothing is validated, stored or indexed. `npm run bench -- peers` drives it with the same bodies
 * and clients as Osprey, so its rate is the ceiling of the wire format on this machine.
 *
 *   node --import tsx bench/lib/wire-ceiling-server.ts <port>
 */
import { createServer } from 'node:http';
import { verifySigV4 } from '../../src/protocol/sigv4.ts';

const credential = { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' };
const port = Number(process.argv[2]);
let datums = 0;

createServer((req, res) => {
  if (req.url === '/health') { res.end('ok'); return; }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const q = req.url!.indexOf('?');
    try {
      verifySigV4({ method: req.method!, path: q < 0 ? req.url! : req.url!.slice(0, q), rawQuery: q < 0 ? '' : req.url!.slice(q + 1), headers: req.headers, body },
        (id) => (id === credential.accessKeyId ? credential : undefined), { now: new Date() });
      const doc = JSON.parse(body.toString('utf8')) as { MetricData?: unknown[] };
      datums += doc.MetricData?.length ?? 0;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    } catch (e) {
      res.writeHead(400).end(String(e));
    }
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => { process.stderr.write(`datums ${datums}\n`); process.exit(0); });
