import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonString, PayloadWriter } from './payload.ts';

test('jsonString is JSON.stringify for well-formed strings', () => {
  for (const s of ['', 'plain', '"quoted" \\ back', 'nul\0 tab\t nl\n', '😀 ü 日本', '\u2028']) {
    assert.equal(jsonString(s), JSON.stringify(s));
  }
});

test('jsonString replaces unpaired surrogates instead of emitting \\udXXX escapes ClickHouse rejects', () => {
  assert.equal(jsonString('a\ud800b\udc00'), '"a\ufffdb\ufffd"');
  assert.equal(jsonString('😀'), '"😀"');
  assert.doesNotMatch(jsonString('\udbff'), /\\u/);
});

test('PayloadWriter grows without truncating multi-byte text', () => {
  const w = new PayloadWriter(Buffer.allocUnsafe(4));
  const parts = ['😀😀😀\n', 'ascii\n', 'ü'.repeat(1000) + '\n'];
  for (const p of parts) w.write(p);
  assert.equal(w.bytes().toString('utf8'), parts.join(''));
});

test('PayloadWriter.truncate undoes a partial write', () => {
  const w = new PayloadWriter();
  w.write('keep\n');
  const mark = w.length;
  w.write('drop\n');
  w.truncate(mark);
  w.write('more\n');
  assert.equal(w.bytes().toString(), 'keep\nmore\n');
});
