// The canary runtime end to end: the bundle built by scripts/build-canary-runtime.mjs, spawned the
// way the server spawns it (spawn-run.ts), running blueprints and hand-written scripts against a
// local HTTP server. Each run's CPU (child + Chromium) is read from this process's reaped-children
// times, so the runs go one after the other.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { render } from '../blueprints/index.ts';
import type { CanaryJob, CanaryResult, RuntimeFamily } from './job.ts';
import { runMarker, runTempPrefix } from './launch-options.ts';
import { logFileName } from './run-log.ts';
import { processesWith, spawnCanaryRun } from './spawn-run.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'canary-runtime.cjs');
const CHROMIUM = '/usr/bin/chromium';
const noBrowser = !existsSync(CHROMIUM) && 'no Chromium at /usr/bin/chromium';

let server: Server;
let base = '';
let work = '';
let runs = 0;

function page(body: string): string {
  return `<!DOCTYPE html><html><head><title>Osprey test</title><style>body{margin:0;background:#fff}</style></head><body>${body}</body></html>`;
}

const ROUTES: Record<string, [number, string, string]> = {
  '/ok': [200, 'text/html', page('<h1>All good</h1>')],
  '/ok2': [200, 'text/html', page('<p>Also fine</p>')],
  '/err': [500, 'text/html', page('<h1>Internal error</h1>')],
  '/missing': [404, 'text/html', page('<h1>Not here</h1>')],
  '/links': [200, 'text/html', page('<a href="/ok">one</a> <a href="/missing">two</a> <a href="/ok2">three</a>')],
  '/api/one': [200, 'application/json', JSON.stringify({ ok: true })],
  '/api/two': [200, 'application/json', JSON.stringify({ status: 'green', items: [1, 2] })],
  '/visual-base': [200, 'text/html', page('<div style="position:absolute;left:0;top:0;width:400px;height:400px;background:#000"></div>')],
  '/visual-moved': [200, 'text/html', page('<div style="position:absolute;left:500px;top:0;width:400px;height:400px;background:#000"></div>')],
};

before(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-canary-runtime.mjs'), '--if-stale'], { stdio: 'inherit' });
  work = mkdtempSync(join(tmpdir(), 'osprey-runtime-test-'));
  server = createServer((req, res) => {
    const route = ROUTES[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return void res.writeHead(404).end();
    res.writeHead(route[0], { 'Content-Type': route[1] }).end(route[2]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

/** CPU seconds this process has collected from exited children (utime + stime of reaped ones). */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5) (cutime, cstime), counted from after the command name.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Run {
  result: CanaryResult;
  dir: string;
  log: string;
  cpu: number;
  resultWritten?: boolean;
}

async function runCanary(family: RuntimeFamily, files: Record<string, string>, handlerFile: string, extra: Partial<CanaryJob> = {}, expectKill = false): Promise<Run> {
  const runId = `test-run-${++runs}-${process.pid}`;
  const codeDir = join(work, runId, 'code');
  const dir = join(work, runId, 'artifacts');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(codeDir, name)), { recursive: true });
    writeFileSync(join(codeDir, name), text);
  }
  mkdirSync(dir, { recursive: true });
  const job: CanaryJob = {
    runId,
    canary: { name: 'runtime-test', id: 'c0ffee', arn: 'arn:aws:synthetics:us-east-1:123456789012:canary:runtime-test', account: '123456789012', region: 'us-east-1', runtimeVersion: family === 'playwright' ? 'syn-nodejs-playwright-2.0' : 'syn-nodejs-puppeteer-9.1', family },
    codeDir,
    handlerFile: join(codeDir, handlerFile),
    handlerExport: 'handler',
    artifactDir: dir,
    resultFile: join(work, runId, 'result.json'),
    chromiumPath: CHROMIUM,
    timeoutMs: 40_000,
    startedAt: new Date().toISOString(),
    activeTracing: false,
    ...extra,
  };
  const cpu0 = childCpuSeconds();
  const exit = await spawnCanaryRun(job, { bundlePath: BUNDLE, env: { TEST_BASE: base }, timeoutMs: job.timeoutMs });
  const cpu = childCpuSeconds() - cpu0;
  if (expectKill) {
    assert.equal(exit.timedOut, true);
    assert.deepEqual(processesWith(runMarker(runId)), []);
    assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith(runTempPrefix(runId))), []);
    return { result: undefined as unknown as CanaryResult, dir, log: readFileSync(join(dir, logFileName(job.startedAt)), 'utf8'), cpu, resultWritten: existsSync(job.resultFile) };
  }
  assert.equal(exit.timedOut, false, exit.stderrTail);
  assert.deepEqual(exit.strays, [], 'the runtime closed its browser before exiting');
  assert.deepEqual(processesWith(runMarker(runId)), [], 'no process of the run survives');
  assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith(runTempPrefix(runId))), [], 'no temporary directory of the run is left');
  assert.ok(existsSync(job.resultFile), `no result; stderr: ${exit.stderrTail}`);
  const result = JSON.parse(readFileSync(job.resultFile, 'utf8')) as CanaryResult;
  const logName = result.artifacts.find((a) => a.endsWith('-log.txt'));
  assert.ok(logName, 'a log file is listed');
  for (const a of result.artifacts) assert.ok(existsSync(join(dir, a)), `artifact ${a} exists`);
  return { result, dir, log: readFileSync(join(dir, logName), 'utf8'), cpu };
}

const heartbeat = (urls: string[]) => ({ 'nodejs/node_modules/pageLoadBlueprint.js': render('heartbeat', { URLS: urls }) });

test('heartbeat blueprint: PASSED with screenshot, HAR, HAR report, log and SyntheticsReport', { skip: noBrowser }, async (t) => {
  const run = await runCanary('puppeteer', heartbeat([`${base}/ok`]), 'nodejs/node_modules/pageLoadBlueprint.js');
  t.diagnostic(`CPU for one heartbeat run (runtime + Chromium): ${run.cpu.toFixed(2)} s`);
  assert.equal(run.result.status, 'PASSED', run.result.reason);
  const shot = run.result.steps[0]?.screenshots[0] ?? '';
  assert.match(shot, /^01-127_0_0_1_ok-succeeded\.png$/);
  assert.deepEqual([...readFileSync(join(run.dir, shot)).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  for (const name of ['results.har', 'results.har.html', 'SyntheticsReport-PASSED.json']) assert.ok(run.result.artifacts.includes(name), name);
  const har = JSON.parse(readFileSync(join(run.dir, 'results.har'), 'utf8')) as { log: { entries: { request: { url: string }; response: { status: number } }[] } };
  assert.ok(har.log.entries.some((e) => e.request.url === `${base}/ok` && e.response.status === 200));
  assert.match(readFileSync(join(run.dir, 'results.har.html'), 'utf8'), /var harOutput = \{"log"/);
  assert.ok(run.result.requests['2xx'] >= 1);
  assert.equal(run.result.metricOptions?.failedCanaryMetric, true);
  const report = JSON.parse(readFileSync(join(run.dir, 'SyntheticsReport-PASSED.json'), 'utf8')) as { customerScript: { steps: { status: string; screenshots: unknown[] }[] } };
  assert.equal(report.customerScript.steps[0]?.status, 'PASSED');
  assert.match(run.log, /INFO: Executing step: 127_0_0_1_ok/);
});

test('heartbeat blueprint: a page answering 500 fails the run', { skip: noBrowser }, async () => {
  const run = await runCanary('puppeteer', heartbeat([`${base}/err`]), 'nodejs/node_modules/pageLoadBlueprint.js');
  assert.equal(run.result.status, 'FAILED');
  assert.match(run.result.reason ?? '', /status code: 500/);
  assert.equal(run.result.requests['5xx'], 1);
  assert.equal(run.result.steps[0]?.status, 'FAILED');
  assert.deepEqual(run.result.steps[0]?.screenshots, ['01-127_0_0_1_err-failed.png']);
  assert.ok(run.result.artifacts.includes('SyntheticsReport-FAILED.json'));
});

test('api blueprint: HTTP steps with status and JSON assertions, passing then failing', async () => {
  const calls = (want: string) => [
    { name: 'get one', url: `${base}/api/one`, expectStatus: 200 },
    { name: 'get two', url: `${base}/api/two`, expectJson: { status: want, 'items.1': 2 } },
  ];
  const files = (want: string) => ({ 'nodejs/node_modules/apiCanaryBlueprint.js': render('api', { REQUESTS: calls(want) }) });
  const pass = await runCanary('puppeteer', files('green'), 'nodejs/node_modules/apiCanaryBlueprint.js');
  assert.equal(pass.result.status, 'PASSED', pass.result.reason);
  assert.deepEqual(pass.result.steps.map((s) => [s.stepName, s.status]), [['get one', 'PASSED'], ['get two', 'PASSED']]);
  assert.equal(pass.result.requests['2xx'], 2);
  const httpReport = JSON.parse(readFileSync(join(pass.dir, 'HttpRequestsReport.json'), 'utf8')) as { requests: { response: { statusCode: number; body: string } }[] };
  assert.equal(httpReport.requests[1]?.response.body, JSON.stringify({ status: 'green', items: [1, 2] }));
  assert.ok(!pass.result.artifacts.some((a) => a.endsWith('.png')), 'no browser, no screenshot');

  const fail = await runCanary('puppeteer', files('red'), 'nodejs/node_modules/apiCanaryBlueprint.js');
  assert.equal(fail.result.status, 'FAILED');
  assert.deepEqual(fail.result.steps.map((s) => s.status), ['PASSED', 'FAILED']);
  assert.match(fail.result.reason ?? '', /status is "green", expected "red"/);
});

test('broken-link blueprint reports exactly the one broken link', { skip: noBrowser }, async () => {
  const files = { 'nodejs/node_modules/brokenLinkCheckerBlueprint.js': render('broken-link', { URL: `${base}/links`, LIMIT: 10 }) };
  const run = await runCanary('puppeteer', files, 'nodejs/node_modules/brokenLinkCheckerBlueprint.js');
  assert.equal(run.result.status, 'FAILED');
  assert.equal(run.result.reason, '1 broken link(s) found');
  const report = JSON.parse(readFileSync(join(run.dir, 'BrokenLinkCheckerReport.json'), 'utf8')) as { totalLinksChecked: number; totalBrokenLinks: number; links: { url: string; isBroken: boolean; statusCode: string }[] };
  assert.equal(report.totalLinksChecked, 4);
  assert.equal(report.totalBrokenLinks, 1);
  assert.deepEqual(report.links.filter((l) => l.isBroken).map((l) => [l.url, l.statusCode]), [[`${base}/missing`, '404']]);
});

test('visual monitoring: a moved element fails against the base run, passes when its area is ignored', { skip: noBrowser }, async () => {
  const files = (path: string) => ({ 'nodejs/node_modules/visualMonitoringBlueprint.js': render('visual', { URL: `${base}${path}` }) });
  const file = 'nodejs/node_modules/visualMonitoringBlueprint.js';
  const baseRun = await runCanary('puppeteer', files('/visual-base'), file);
  assert.equal(baseRun.result.status, 'PASSED', baseRun.result.reason);
  const shot = '01-loadPage-loaded.png';
  assert.ok(baseRun.result.artifacts.includes(shot));

  const visual = (ignoreCoordinates: string[]) => ({ visual: { baseArtifactDir: baseRun.dir, screenshots: [{ name: shot, ignoreCoordinates }] } });
  const moved = await runCanary('puppeteer', files('/visual-moved'), file, visual([]));
  assert.equal(moved.result.status, 'FAILED');
  assert.match(moved.result.reason ?? '', /Visual variance of 01-loadPage-loaded\.png is [\d.]+% \(threshold 5%\)/);
  assert.deepEqual(moved.result.visual, { compared: 1, failed: 1 });
  assert.ok(moved.result.artifacts.includes('01-loadPage-loaded-diff.png'));

  const ignored = await runCanary('puppeteer', files('/visual-moved'), file, visual(['0,0,1000,450']));
  assert.equal(ignored.result.status, 'PASSED', ignored.result.reason);
  assert.deepEqual(ignored.result.visual, { compared: 1, failed: 0 });
});

test('a throwing script fails the run with its message, and its stack and output are in the log', async () => {
  const files = {
    'thrower.js': `const log = require('SyntheticsLogger');
exports.handler = async () => {
  log.info('about to fail');
  console.log('a console line');
  throw new Error('boom: the widget is gone');
};
`,
  };
  const run = await runCanary('puppeteer', files, 'thrower.js');
  assert.equal(run.result.status, 'FAILED');
  assert.equal(run.result.reason, 'boom: the widget is gone');
  assert.match(run.log, /INFO: about to fail/);
  assert.match(run.log, /INFO: a console line/);
  assert.match(run.log, /Error: boom: the widget is gone\n\s+at exports\.handler \(.*thrower\.js:5:9\)/);
  assert.ok(run.result.artifacts.includes('SyntheticsReport-FAILED.json'));
});

test('an ES module script imports the @aws/synthetics-* modules, its own packages and puppeteer-core', async () => {
  const files = {
    'node_modules/greeting/package.json': JSON.stringify({ name: 'greeting', type: 'module', exports: './index.js' }),
    'node_modules/greeting/index.js': `export const hello = (n) => 'hello ' + n;\n`,
    'index.mjs': `import { synthetics } from '@aws/synthetics-puppeteer';
import { logger } from '@aws/synthetics-logger';
import SyntheticsLink from 'SyntheticsLink';
import classic from 'Synthetics';
import puppeteer from 'puppeteer-core';
import { hello } from 'greeting';
export const handler = async () => {
  if (classic !== synthetics) throw new Error('two Synthetics objects');
  if (typeof puppeteer.launch !== 'function') throw new Error('no puppeteer');
  await synthetics.executeHttpStep('esm get', process.env.TEST_BASE + '/api/one');
  logger.info(hello(synthetics.getCanaryName()) + ' ' + new SyntheticsLink('http://x/').getUrl());
};
`,
  };
  const run = await runCanary('puppeteer', files, 'index.mjs');
  assert.equal(run.result.status, 'PASSED', run.result.reason);
  assert.deepEqual(run.result.steps.map((s) => [s.stepName, s.status]), [['esm get', 'PASSED']]);
  assert.match(run.log, /INFO: hello runtime-test http:\/\/x\//);
});

test('a playwright-family script uses @amzn/synthetics-playwright', { skip: noBrowser }, async () => {
  const files = {
    'index.js': `const { synthetics, logger } = require('@amzn/synthetics-playwright');
const { chromium } = require('playwright');
exports.handler = async () => {
  if (typeof chromium.launch !== 'function') throw new Error('no playwright');
  const browser = await synthetics.launch();
  const page = await synthetics.newPage(browser);
  await synthetics.executeStep('open', async () => {
    const response = await page.goto(process.env.TEST_BASE + '/ok');
    if (response.status() !== 200) throw new Error('status ' + response.status());
  }, undefined, page);
  logger.info('title ' + (await page.title()));
  await synthetics.close();
};
`,
  };
  const run = await runCanary('playwright', files, 'index.js');
  assert.equal(run.result.status, 'PASSED', run.result.reason);
  assert.deepEqual(run.result.steps[0]?.screenshots, ['01-open-starting.png', '01-open-succeeded.png']);
  assert.ok(run.result.artifacts.includes('results.har'));
  assert.ok(run.result.requests['2xx'] >= 1);
  assert.match(run.log, /INFO: title Osprey test/);
});

test('a script still running near the timeout is stopped by the runtime, which still reports', async () => {
  const files = { 'hang.js': `exports.handler = async () => { console.log('waiting forever'); await new Promise(() => {}); };\n` };
  const run = await runCanary('puppeteer', files, 'hang.js', { timeoutMs: 3000 });
  assert.equal(run.result.status, 'FAILED');
  assert.equal(run.result.reason, 'Canary timed out after 3 seconds');
  assert.match(run.log, /INFO: waiting forever/);
});

test('a script that blocks the event loop is killed at the timeout, its log kept up to then', async () => {
  const files = { 'spin.js': `exports.handler = async () => { console.log('spinning'); for (;;) {} };\n` };
  const run = await runCanary('puppeteer', files, 'spin.js', { timeoutMs: 1500 }, true);
  assert.equal(run.resultWritten, false);
  assert.match(run.log, /INFO: spinning/);
});
