import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { extract, matches, rejects } from './test-support.ts';

describe('space-delimited patterns', () => {
  const apache = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

  test('the doc example with a trailing comma extracts positional fields like $7', () => {
    const ex = extract('[..., request=*.html*, status_code=4*,]', apache);
    assert.deepEqual(ex, {
      kind: 'delimited',
      fields: {
        $1: '127.0.0.1', $2: '-', $3: 'frank', $4: '10/Oct/2000:13:25:15 -0700',
        $request: 'GET /index.html HTTP/1.0', $status_code: '404', $7: '1534',
      },
    });
  });

  test('ellipsis positions', () => {
    assert.equal(matches('[ip, user, ..., status_code = 404, bytes]', apache), true);
    assert.equal(matches('[ip, user, ...]', apache), true);
    assert.equal(matches('[..., status_code, bytes > 1000]', apache), true);
    assert.equal(matches('[..., status_code, bytes > 2000]', apache), false);
    assert.equal(matches('[..., bytes = 404, ...]', apache), true, 'two ellipses: any field may be 404');
    assert.equal(matches('[..., bytes = 405, ...]', apache), false);
    const ex = extract('[ip, ..., code = 404, ...]', apache);
    assert.ok(ex?.kind === 'delimited');
    assert.equal(ex.fields.$code, '404');
    assert.equal(ex.fields.$ip, '127.0.0.1');
    assert.equal(ex.fields.$7, '1534');
  });

  test('without ellipsis: fewer tokens than fields never match; the last field takes the rest', () => {
    assert.equal(matches('[a, b, c]', 'x y'), false);
    const ex = extract('[level=ERROR, rest]', 'ERROR  disk "very full" [now]');
    assert.deepEqual(ex, { kind: 'delimited', fields: { $level: 'ERROR', $rest: 'disk "very full" [now]' } });
    assert.deepEqual(extract('[a, b]', 'x "y z"'), { kind: 'delimited', fields: { $a: 'x', $b: 'y z' } });
  });

  test('field conditions: numbers, strings, regex, && and ||, parentheses', () => {
    assert.equal(matches('[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]', apache), true);
    assert.equal(matches('[ip, user, username, timestamp, request, status_code = 4* && status_code != 404, bytes]', apache), false);
    assert.equal(matches('[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]', apache), true);
    assert.equal(matches('[ip, user, username, timestamp, request, status_code, bytes >= 1534 && bytes < 1535]', apache), true);
    assert.equal(matches('[ip, user, username, timestamp, request, (code = 1 || code = 404) && code != 5, bytes]', apache), true);
    assert.equal(matches('[ip=%^127\\.%, user = "-", username, ...]', apache), true);
    assert.equal(matches('[ip, user != "-", ...]', apache), false);
    assert.equal(matches('[a = 404.0, ...]', '404 x'), true, 'numbers compare numerically');
    assert.equal(matches('[a > 5, ...]', 'abc x'), false);
    assert.equal(matches('[a != 5, ...]', 'abc x'), true);
  });

  test('invalid space-delimited patterns are rejected', () => {
    rejects('[]', /at least one field/);
    rejects('[a, b', /must end with '\]'/);
    rejects('[a b]', /expected a comparison operator .* found 'b' \(at position 4\)/);
    rejects('[a = 1 b]', /expected ',' or '\]'/);
    rejects('[a, a]', /duplicate field name 'a'/);
    rejects('[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]', /must all test that field/);
    rejects('[a = %x%, b = %y%, c = %z%]', /at most 2 regular expressions/);
    rejects('[a =]', /expected a value/);
    rejects('[a > x]', /compares numbers/);
    rejects('[@a]', /field name/);
  });
});
