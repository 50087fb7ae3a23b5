import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { initCanary, UsageError } from './canary-init.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'osprey-canary-init-'));

test('init writes a Puppeteer blueprint under nodejs/node_modules, zips it at the same path and prints create-canary', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = initCanary('heartbeat', join(dir, 'shop'), { url: ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/cart'], name: 'shop-check', schedule: 'rate(1 minute)' });

  assert.equal(r.scriptPath, join(dir, 'shop', 'nodejs', 'node_modules', 'pageLoadBlueprint.js'));
  const script = readFileSync(r.scriptPath, 'utf8');
  assert.match(script, /\["http:\/\/127\.0\.0\.1:8080\/","http:\/\/127\.0\.0\.1:8080\/cart"\]/, 'the URLs are filled in');
  assert.doesNotMatch(script, /\{\{[A-Z_]+\}\}/, 'no placeholder is left');

  assert.equal(r.zipPath, join(dir, 'shop', 'canary.zip'));
  const entries = unzipSync(readFileSync(r.zipPath));
  assert.deepEqual(Object.keys(entries), ['nodejs/node_modules/pageLoadBlueprint.js']);
  assert.equal(strFromU8(entries['nodejs/node_modules/pageLoadBlueprint.js']!), script);

  const [create, start] = r.commands;
  assert.match(create!, /^aws synthetics create-canary --endpoint-url http:\/\/127\.0\.0\.1:4566 /);
  assert.match(create!, /--name shop-check/);
  assert.ok(create!.includes(`--code "ZipFile=$(base64 < ${r.zipPath} | tr -d '\\n'),Handler=pageLoadBlueprint.handler"`), create);
  assert.match(create!, /--schedule 'Expression=rate\(1 minute\)'/);
  assert.match(create!, /--runtime-version syn-nodejs-puppeteer-\d+\.\d+/);
  assert.match(create!, /--artifact-s3-location s3:\/\/osprey-canaries\/shop-check/);
  assert.equal(start, 'aws synthetics start-canary --endpoint-url http://127.0.0.1:4566 --name shop-check');
});

test('--param values are read as JSON when they parse; a blueprint with one URL takes one --url', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = initCanary('broken-link', dir, { url: ['http://a.test/'], param: ['LIMIT=3', 'FAIL_ON_BROKEN=false'] });
  const script = readFileSync(r.scriptPath, 'utf8');
  assert.match(script, /"http:\/\/a\.test\/"/);
  assert.doesNotMatch(script, /\{\{[A-Z_]+\}\}/);
  assert.throws(() => initCanary('broken-link', join(dir, 'b'), { url: ['http://a/', 'http://b/'] }), /checks one URL/);
  assert.throws(() => initCanary('broken-link', join(dir, 'c'), { param: ['NOPE=1'] }), (e: unknown) => e instanceof UsageError && /LIMIT/.test(e.message));
});

test('init refuses to overwrite without --force and to take a name AWS would refuse', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  initCanary('visual', dir, {});
  assert.throws(() => initCanary('visual', dir, {}), /already exists/);
  assert.doesNotThrow(() => initCanary('visual', dir, { force: true }));
  assert.throws(() => initCanary('visual', join(dir, 'x'), { name: 'Bad Name' }), UsageError);
  assert.equal(existsSync(join(dir, 'x')), false);
});

test('`osprey canary init` with an unknown blueprint lists the blueprints and exits 2', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = fileURLToPath(new URL('../../bin/osprey.js', import.meta.url));
  const r = spawnSync(process.execPath, [bin, 'canary', 'init', 'nope', dir], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown blueprint "nope"/);
  for (const name of ['heartbeat', 'api', 'broken-link', 'visual']) assert.ok(r.stderr.includes(name), `lists ${name}`);
});
