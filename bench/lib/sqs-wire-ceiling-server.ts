/**
 * The least any Node server answering SQS's awsJson1_0 must do per call, and nothing more: receive
 * the body, verify SigV4 (Osprey's verifier), JSON.parse it and answer with the MD5s clients check
 * (SDK v3 verifies them). Sends are counted, not
 * stored; receives hand back up to MaxNumberOfMessages synthetic messages from that count; deletes
 * answer every entry as successful. `npm run bench -- queues --ceiling` drives it with the same
 * clients and bodies as Osprey, so its rate is the ceiling of the wire format on this machine.
 *
 *   node --import tsx bench/lib/sqs-wire-ceiling-server.ts <port>
 */
import { createServer } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { verifySigV4 } from '../../src/protocol/sigv4.ts';

const credential = { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' };
const port = Number(process.argv[2]);
let pending = 0;
let seq = 0;
const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const BODY = 'x'.repeat(200);
const BODY_MD5 = md5(BODY);

interface Doc { QueueName?: string; Entries?: { Id: string; MessageBody?: string }[]; MaxNumberOfMessages?: number }

function answer(op: string, doc: Doc): unknown {
  switch (op) {
    case 'CreateQueue': return { QueueUrl: `http://127.0.0.1:${port}/000000000000/${doc.QueueName}` };
    case 'SendMessageBatch':
      pending += doc.Entries?.length ?? 0;
      return { Successful: (doc.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody ?? '') })), Failed: [] };
    case 'ReceiveMessage': {
      const n = Math.min(pending, doc.MaxNumberOfMessages ?? 1);
      pending -= n;
      return n === 0 ? {} : {
        Messages: Array.from({ length: n }, () => ({
          MessageId: randomUUID(), ReceiptHandle: Buffer.from(`1:${++seq}:0123456789abcdef`).toString('base64'), MD5OfBody: BODY_MD5, Body: BODY,
        })),
      };
    }
    case 'DeleteMessageBatch': return { Successful: (doc.Entries ?? []).map((e) => ({ Id: e.Id })), Failed: [] };
    default: return {};
  }
}

createServer((req, res) => {
  if (req.url === '/health') { res.end('ok'); return; }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    try {
      verifySigV4({ method: req.method!, path: '/', rawQuery: '', headers: req.headers, body },
        (id) => (id === credential.accessKeyId ? credential : undefined), { now: new Date() });
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const out = JSON.stringify(answer(op, JSON.parse(body.toString('utf8')) as Doc));
      const reply = () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(out);
      // An empty receive waits a little, like a long poll, instead of letting consumers spin.
      if (out === '{}' && op === 'ReceiveMessage') setTimeout(reply, 10);
      else reply();
    } catch (e) {
      res.writeHead(400).end(String(e));
    }
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
