import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTimestampFormat, TimestampFormatError } from './timestamp-format.ts';

test('timestamps in the agent\'s tokens, in UTC, with offsets, 12-hour clocks and no year', () => {
  const iso = compileTimestampFormat('%Y-%m-%dT%H:%M:%S.%f%z', 'UTC');
  assert.equal(iso.parse('2026-12-05T10:11:12.345+01:00 GET /'), Date.UTC(2026, 11, 5, 9, 11, 12, 345));
  const syslog = compileTimestampFormat('%b %-d %H:%M:%S', 'UTC');
  assert.equal(syslog.parse('Dec  5 07:01:02 web-1 sshd[1]: ok', new Date(Date.UTC(2026, 0, 1))), Date.UTC(2026, 11, 5, 7, 1, 2));
  const apache = compileTimestampFormat('%d/%b/%Y:%H:%M:%S %z', 'UTC');
  assert.equal(apache.parse('127.0.0.1 - - [05/Dec/2026:10:00:00 -0500] "GET / HTTP/1.1"'), Date.UTC(2026, 11, 5, 15));
  const us = compileTimestampFormat('%-m/%-d/%y %I:%M:%S %p', 'UTC');
  assert.equal(us.parse('12/5/26 01:02:03 PM started'), Date.UTC(2026, 11, 5, 13, 2, 3));
  assert.equal(us.parse('no time here'), undefined);
  assert.throws(() => compileTimestampFormat('%Y-%Q', 'UTC'), TimestampFormatError);
});
