import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { silentLogger } from '../lib/logger.ts';
import { LineSplitter, startEmfListener, type RunningEmfListener } from './emf-listener.ts';

let listener: RunningEmfListener;
let docs: string[] = [];
let waiters: (() => void)[] = [];

before(async () => {
  listener = await startEmfListener({
    host: '127.0.0.1', port: 0, log: silentLogger, maxLineBytes: 1000,
    onDocument: (line) => {
      docs.push(line);
      for (const w of waiters) w();
    },
  });
});
after(() => listener.close());

/** Waits until `n` documents arrived (an event, not a sleep). */
async function received(n: number): Promise<string[]> {
  while (docs.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
  waiters = [];
  const out = docs;
  docs = [];
  return out;
}

test('TCP: several documents per write, documents split across writes and multi-byte characters split mid-way', async () => {
  const socket = connect(listener.port, '127.0.0.1');
  await once(socket, 'connect');
  const euro = Buffer.from('{"v":"€"}\n', 'utf8'); // € is 3 bytes
  socket.write('{"a":1}\n{"b":2}\n{"c":');
  socket.write('3}\n');
  socket.write(euro.subarray(0, 7));
  socket.write(euro.subarray(7));
  socket.write('\r\n\n{"last":true}'); // an empty line is skipped; the last line has no newline
  socket.end();
  // CRLF line ends are accepted too.
  assert.deepEqual(await received(5), ['{"a":1}', '{"b":2}', '{"c":3}', '{"v":"€"}', '{"last":true}']);
});

test('UDP: one document per datagram, or several separated by newlines', async () => {
  const udp = createSocket('udp4');
  udp.send('{"u":1}\n', listener.port, '127.0.0.1');
  assert.deepEqual(await received(1), ['{"u":1}']);
  udp.send('{"u":2}\n{"u":3}', listener.port, '127.0.0.1');
  assert.deepEqual(await received(2), ['{"u":2}', '{"u":3}']);
  udp.close();
});

test('a line longer than the limit is dropped, the next one is kept', () => {
  const lines: string[] = [];
  let tooLong = 0;
  const s = new LineSplitter(10, (l) => lines.push(l), () => tooLong++);
  s.push(Buffer.from('0123456789'));
  s.push(Buffer.from('X still the same line\nok\n'));
  s.push(Buffer.from('01234567890123\nfine'));
  s.end();
  assert.deepEqual(lines, ['ok', 'fine']);
  assert.equal(tooLong, 2);
});

test('TCP and UDP share the port number; close releases it', async () => {
  const other = await startEmfListener({ host: '127.0.0.1', port: 0, log: silentLogger, onDocument: () => {} });
  const port = other.port;
  await other.close();
  const again = await startEmfListener({ host: '127.0.0.1', port, log: silentLogger, onDocument: () => {} });
  assert.equal(again.port, port);
  await again.close();
});

test('a port already in use is a clear startup error', async () => {
  await assert.rejects(
    startEmfListener({ host: '127.0.0.1', port: listener.port, log: silentLogger, onDocument: () => {} }),
    /port \d+ on 127\.0\.0\.1 is already in use .*OSPREY_EMF_PORT/,
  );
});
