import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cjsShim, esmHookSource, esmShim, fallbackSpecifier, REGISTRY_KEY, shimBaseName } from './resolution.ts';

test('only the browser packages fall back to the runtime\'s copy; playwright means playwright-core', () => {
  assert.equal(fallbackSpecifier('puppeteer-core'), 'puppeteer-core');
  assert.equal(fallbackSpecifier('puppeteer-core/lib/cjs/puppeteer/api/Page.js'), 'puppeteer-core/lib/cjs/puppeteer/api/Page.js');
  assert.equal(fallbackSpecifier('playwright'), 'playwright-core');
  assert.equal(fallbackSpecifier('playwright-core'), 'playwright-core');
  assert.equal(fallbackSpecifier('puppeteer'), undefined);
  assert.equal(fallbackSpecifier('puppeteer-core-extra'), undefined);
  assert.equal(fallbackSpecifier('lodash'), undefined);
});

test('shim file names keep scoped names apart', () => {
  assert.equal(shimBaseName('@aws/synthetics-puppeteer'), 'aws__synthetics-puppeteer');
  assert.equal(shimBaseName('Synthetics'), 'Synthetics');
});

test('the CommonJS and ES module shims hand out the same live object', async () => {
  const synthetics = { name: 'the one' };
  (globalThis as Record<symbol, unknown>)[Symbol.for(REGISTRY_KEY)] = {
    '@aws/synthetics-puppeteer': { value: synthetics, named: { synthetics, 'not-an-identifier': 1 } },
  };
  const dir = mkdtempSync(join(tmpdir(), 'osprey-shim-test-'));
  try {
    writeFileSync(join(dir, 'a.cjs'), cjsShim('@aws/synthetics-puppeteer'));
    writeFileSync(join(dir, 'a.mjs'), esmShim('@aws/synthetics-puppeteer', ['synthetics', 'not-an-identifier', 'default']));
    assert.equal(createRequire(import.meta.url)(join(dir, 'a.cjs')), synthetics);
    const esm = (await import(pathToFileURL(join(dir, 'a.mjs')).href)) as Record<string, unknown>;
    assert.equal(esm.default, synthetics);
    assert.equal(esm.synthetics, synthetics);
    assert.deepEqual(Object.keys(esm).sort(), ['default', 'synthetics']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the ES module hook maps library names, and falls back for missing browser packages only', async () => {
  const hooks = (await import(`data:text/javascript,${encodeURIComponent(esmHookSource())}`)) as {
    initialize(d: unknown): void;
    resolve(s: string, c: { parentURL?: string }, next: (s: string, c: { parentURL?: string }) => Promise<{ url: string }>): Promise<{ url: string }>;
  };
  hooks.initialize({ shims: { Synthetics: 'file:///shims/Synthetics.mjs' }, ownParent: 'file:///runtime/bundle.cjs' });
  const seen: string[] = [];
  const next = async (s: string, c: { parentURL?: string }) => {
    seen.push(`${s}@${c.parentURL}`);
    if (c.parentURL === 'file:///user/index.mjs' && s !== 'lodash') throw Object.assign(new Error('missing'), { code: 'ERR_MODULE_NOT_FOUND' });
    return { url: `file:///resolved/${s}` };
  };
  const ctx = { parentURL: 'file:///user/index.mjs' };
  assert.equal((await hooks.resolve('Synthetics', ctx, next)).url, 'file:///shims/Synthetics.mjs');
  assert.equal((await hooks.resolve('lodash', ctx, next)).url, 'file:///resolved/lodash');
  assert.equal((await hooks.resolve('playwright', ctx, next)).url, 'file:///resolved/playwright-core');
  await assert.rejects(hooks.resolve('left-pad', ctx, next), /missing/);
  assert.deepEqual(seen, [
    'lodash@file:///user/index.mjs',
    'playwright@file:///user/index.mjs',
    'playwright-core@file:///runtime/bundle.cjs',
    'left-pad@file:///user/index.mjs',
  ]);
});
