import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { checkHandler, extractCode, zipEntryNames } from './zip.ts';

const zip = (files: Record<string, string>) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));

test('the handler file must be in the zip where the runtime looks', () => {
  const z = zip({ 'nodejs/node_modules/check.js': 'exports.handler = 1' });
  assert.deepEqual([...zipEntryNames(z)], ['nodejs/node_modules/check.js']);
  checkHandler(z, 'check.handler', 'puppeteer');
  assert.throws(() => checkHandler(z, 'other.handler', 'puppeteer'), /handler file for other\.handler is not in the code zip/);
  assert.throws(() => checkHandler(z, 'nodot', 'puppeteer'), /Invalid handler: nodot/);
  assert.throws(() => checkHandler(Buffer.from('plain text'), 'check.handler', 'puppeteer'), /not a valid zip/);
});

test('extraction is content-addressed and refuses entries outside the root', () => {
  const root = mkdtempSync(join(tmpdir(), 'osprey-code-'));
  try {
    const dir = extractCode(root, { zip: zip({ 'a/b.js': 'x' }), sha: 'abc' });
    assert.equal(readFileSync(join(dir, 'a/b.js'), 'utf8'), 'x');
    assert.equal(extractCode(root, { zip: zip({ 'other.js': 'y' }), sha: 'abc' }), dir, 'same digest, same directory, not re-extracted');
    assert.throws(() => extractCode(root, { zip: zip({ '../evil.js': 'x' }), sha: 'def' }), /outside its root/);
    assert.equal(existsSync(join(root, 'evil.js')), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
