import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { findHandlerEntry, parseHandler } from '../code/handler.ts';
import { blueprints, findBlueprint, render } from './index.ts';

test('every blueprint renders to a script that parses, with no placeholder left', () => {
  for (const bp of blueprints) {
    const src = render(bp.name);
    assert.doesNotMatch(src, /\{\{[A-Z0-9_]+\}\}/, bp.name);
    // A CommonJS module body: wrapped the way Node wraps it.
    assert.doesNotThrow(() => new Script(`(function (exports, require, module) {${src}\n})`), bp.name);
    // The zip holding only the script must satisfy the server's own handler rule.
    const ref = parseHandler(bp.handler);
    assert.ok(ref, bp.handler);
    assert.equal(findHandlerEntry(bp.runtimeFamily, ref, new Set([bp.fileName])), bp.fileName, bp.name);
  }
});

test('parameters are written as JSON literals, so any string stays a string', () => {
  const src = render('heartbeat', { URLS: ["http://a/'); process.exit(1); ('"] });
  assert.ok(src.includes(`["http://a/'); process.exit(1); ('"]`));
  assert.throws(() => render('heartbeat', { NOPE: 1 }), /no parameter NOPE/);
  assert.throws(() => render('nope'), /Unknown blueprint/);
  assert.equal(findBlueprint('api')?.runtimeFamily, 'puppeteer');
});

test('the blueprint modules import nothing from node:, so the console can bundle them', () => {
  for (const f of readdirSync(new URL('.', import.meta.url))) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    assert.doesNotMatch(readFileSync(new URL(f, import.meta.url), 'utf8'), /from 'node:/, f);
  }
});
