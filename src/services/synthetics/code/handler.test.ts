import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findHandlerEntry, handlerCandidates, parseHandler } from './handler.ts';

test('handlers split at the last dot; paths may have folders but never escape the zip', () => {
  assert.deepEqual(parseHandler('pageLoadBlueprint.handler'), { path: 'pageLoadBlueprint', exportName: 'handler' });
  assert.deepEqual(parseHandler('myFolder/canary.run'), { path: 'myFolder/canary', exportName: 'run' });
  assert.deepEqual(parseHandler('index.mjs.handler'), { path: 'index', exportName: 'handler' });
  for (const bad of ['handler', '.handler', 'file.', '../x.handler', '/abs.handler', 'a//b.handler', 'file.1bad']) assert.equal(parseHandler(bad), undefined, bad);
});

test('puppeteer runtimes look in nodejs/node_modules first, playwright ones at the root first', () => {
  const ref = parseHandler('canary.handler')!;
  assert.deepEqual(handlerCandidates('puppeteer', ref).slice(0, 2), ['nodejs/node_modules/canary.js', 'nodejs/node_modules/canary.mjs']);
  assert.deepEqual(handlerCandidates('playwright', ref).slice(0, 2), ['canary.js', 'canary.mjs']);
  assert.equal(findHandlerEntry('puppeteer', ref, new Set(['canary.mjs'])), 'canary.mjs');
  assert.equal(findHandlerEntry('playwright', ref, new Set(['other.js'])), undefined);
});
