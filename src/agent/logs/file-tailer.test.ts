import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileTailer } from './file-tailer.ts';

const utf8 = (b: Buffer) => b.toString('utf8');
const texts = (t: FileTailer) => t.read().map((l) => l.text);

test('complete lines only; CRLF trimmed; truncation restarts at 0; rotation finishes the old file first; resume by identity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  const file = join(dir, 'a.log');
  writeFileSync(file, 'one\r\ntwo\nthr');
  const t = new FileTailer(file, utf8);
  assert.deepEqual(texts(t), ['one', 'two']);
  appendFileSync(file, 'ee\n');
  const [three] = t.read();
  assert.equal(three!.text, 'three');
  assert.equal(three!.end, statSync(file).size);

  truncateSync(file, 0);
  appendFileSync(file, 'after truncate\n');
  assert.deepEqual(texts(t), ['after truncate']);

  appendFileSync(file, 'last of old\nno newline');
  renameSync(file, `${file}.1`);
  writeFileSync(file, 'new file\n');
  assert.deepEqual(texts(t), ['last of old', 'no newline', 'new file']);
  t.close();

  const s = statSync(file);
  appendFileSync(file, 'more\n');
  const resumed = new FileTailer(file, utf8, { dev: s.dev, ino: s.ino, offset: s.size });
  assert.deepEqual(texts(resumed), ['more']);
  const otherFile = new FileTailer(file, utf8, { dev: s.dev, ino: s.ino + 1, offset: 5 });
  assert.deepEqual(texts(otherFile), ['new file', 'more'], 'a checkpoint of another file starts from the beginning');
});
