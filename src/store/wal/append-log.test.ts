import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppendLog } from './append-log.ts';

test('appends are grouped into one write and readable after a reopen; a torn last line is dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const { log, leftover } = await AppendLog.open(dir, { fsync: false });
  assert.deepEqual(leftover, []);
  const segments = new Set<string>();
  await Promise.all(['a', 'b', 'c'].map((l) => log.append(l, (s) => segments.add(s))));
  assert.equal(segments.size, 1);
  await log.close();
  const [seg] = [...segments];
  appendFileSync(seg!, '{"torn');
  const again = await AppendLog.open(dir, { fsync: true });
  assert.deepEqual(again.leftover, [seg]);
  assert.deepEqual(AppendLog.readSegment(seg!), ['a', 'b', 'c']);
  await again.log.close();
});

test('rotate seals the segment; lines appended meanwhile go to the next one; remove deletes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const { log } = await AppendLog.open(dir, { fsync: false });
  const where: string[] = [];
  await log.append('one', (s) => where.push(s));
  const rotating = log.rotate();
  const late = log.append('two', (s) => where.push(s));
  const sealed = await rotating;
  await late;
  assert.equal(where[0], sealed);
  assert.notEqual(where[1], sealed);
  assert.deepEqual(AppendLog.readSegment(sealed), ['one']);
  await log.remove(sealed);
  await log.close();
  assert.equal(readdirSync(dir).length, 1);
});
