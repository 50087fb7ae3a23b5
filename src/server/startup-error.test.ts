import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StartupError, listenError, startupFailureLine } from './startup-error.ts';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

test('address errors become one-line StartupErrors naming the listener, address and setting', () => {
  const inUse = listenError(errno('EADDRINUSE'), 'HTTP listener', '127.0.0.1', 4566, '--port / OSPREY_PORT');
  assert.ok(inUse instanceof StartupError);
  assert.equal(inUse.message, 'HTTP listener: port 4566 on 127.0.0.1 is already in use; set --port / OSPREY_PORT to another port, or 0 for any free port');
  assert.match((listenError(errno('EACCES'), 'HTTP listener', '0.0.0.0', 80, '--port') as Error).message, /no permission to listen on 0\.0\.0\.0:80/);
  assert.match((listenError(errno('EADDRNOTAVAIL'), 'HTTP listener', '10.9.9.9', 1, '--port') as Error).message, /10\.9\.9\.9 is not an address of this machine/);
  const other = errno('EMFILE');
  assert.equal(listenError(other, 'HTTP listener', 'h', 1, 's'), other);
});

test('the printed line is the StartupError message, or the first line of anything else', () => {
  assert.equal(startupFailureLine(new StartupError('port busy')), 'port busy');
  assert.equal(startupFailureLine(new Error('boom\nmore detail')), 'failed to start: boom (OSPREY_LOG_LEVEL=debug logs the details)');
});
