// Canary runs in real Chromium, driven by SDK v3: AWS's heartbeat blueprint runs unchanged on
// rate(1 minute), passes with a screenshot in the mapped bucket and SuccessPercent 100, then fails
// when the page answers 500 and an alarm on SuccessPercent goes to ALARM; API canaries with two
// executeHttpStep calls pass and fail; a broken-link run reports the one broken link; visual
// monitoring fails when an element moves and passes with that area ignored; a hanging script is
// killed at TimeoutInSeconds and a throwing one is FAILED with its stack in the log — and no
// browser outlives its run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SyntheticsClient, CreateCanaryCommand, GetCanaryCommand, StartCanaryCommand, StopCanaryCommand, GetCanaryRunsCommand, UpdateCanaryCommand,
  type CanaryRun, type CreateCanaryCommandInput,
} from '@aws-sdk/client-synthetics';
import { CloudWatchClient, GetMetricDataCommand, PutMetricAlarmCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand, CreateLogGroupCommand, PutResourcePolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { XRayClient, GetTraceSummariesCommand, BatchGetTracesCommand } from '@aws-sdk/client-xray';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { puppeteerZip, zipOf } from './helpers/canary-zip.ts';
import { until } from './helpers/until.ts';
import { render } from '../src/services/synthetics/blueprints/index.ts';

let server: TestServer;
let site: Server;
let base = '';
let syn: SyntheticsClient;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;
const bucketDir = mkdtempSync(join(tmpdir(), 'osprey-canary-bucket-'));
/** What the local site answers; tests flip these. */
const state = { homeStatus: 200, boxLeft: 20 };

function page(path: string): { status: number; type: string; body: string } {
  if (path === '/') return { status: state.homeStatus, type: 'text/html', body: '<html><body><h1>Shop</h1><p>Welcome</p></body></html>' };
  if (path === '/api/health') return { status: 200, type: 'application/json', body: '{"ok":true}' };
  if (path === '/api/items') return { status: 200, type: 'application/json', body: '{"items":[1,2,3]}' };
  if (path === '/links') return { status: 200, type: 'text/html', body: '<html><body><a href="/a">a</a> <a href="/b">b</a> <a href="/gone">gone</a></body></html>' };
  if (path === '/a' || path === '/b') return { status: 200, type: 'text/html', body: '<html><body>ok</body></html>' };
  if (path === '/visual') {
    return { status: 200, type: 'text/html', body: `<html><body style="margin:0;background:#fff"><div style="position:absolute;top:20px;left:${state.boxLeft}px;width:600px;height:500px;background:#d00"></div></body></html>` };
  }
  if (path === '/hang') return { status: 200, type: 'text/html', body: '<html><body>slow</body></html>' };
  return { status: 404, type: 'text/plain', body: 'not found' };
}

before(async () => {
  site = createServer((req, res) => {
    const p = page(new URL(req.url!, 'http://x').pathname);
    res.writeHead(p.status, { 'content-type': p.type });
    res.end(p.body);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => site.once('listening', r));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  server = await startTestServer({
    modules: ['logs', 'cloudwatch', 'events', 'xray', 'synthetics'],
    env: { OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'canary-artifacts': `file://${bucketDir}` }) },
  });
  syn = new SyntheticsClient(sdkConfig(server.url));
  cw = new CloudWatchClient(sdkConfig(server.url));
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  site?.close();
});

const canary = (name: string, zip: Uint8Array, handler: string, over: Partial<CreateCanaryCommandInput> = {}): CreateCanaryCommandInput => ({
  Name: name, Code: { ZipFile: zip, Handler: handler }, ArtifactS3Location: 's3://canary-artifacts/synthetics', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/canary',
  Schedule: { Expression: 'rate(0 minute)' }, RuntimeVersion: 'syn-nodejs-puppeteer-9.1', ...over,
});

async function createAndStart(input: CreateCanaryCommandInput): Promise<string> {
  const id = (await syn.send(new CreateCanaryCommand(input))).Canary!.Id!;
  await until(`${input.Name} READY`, async () => ((await syn.send(new GetCanaryCommand({ Name: input.Name }))).Canary?.Status?.State === 'READY' ? true : undefined), 10_000);
  await syn.send(new StartCanaryCommand({ Name: input.Name }));
  return id;
}

/** The runs of a canary once `count` of them have finished (newest first). */
function finishedRuns(name: string, count: number, ms = 90_000): Promise<CanaryRun[]> {
  return until(`${count} finished runs of ${name}`, async () => {
    const runs = (await syn.send(new GetCanaryRunsCommand({ Name: name }))).CanaryRuns ?? [];
    const done = runs.filter((r) => r.Status?.State !== 'RUNNING');
    return done.length >= count ? done : undefined;
  }, ms);
}

const marked = (runId: string): string[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`--osprey-canary-run=${runId}`);
  } catch {
    return false;
  }
});

/** Files under dir, relative, recursively. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f), `${prefix}${f}/`) : [`${prefix}${f}`]));
}

async function successPercent(name: string): Promise<number[]> {
  const end = new Date(Date.now() + 60_000);
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(Date.now() - 3_600_000), EndTime: end, ScanBy: 'TimestampAscending',
    MetricDataQueries: [{ Id: 's', MetricStat: { Metric: { Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent', Dimensions: [{ Name: 'CanaryName', Value: name }] }, Period: 60, Stat: 'Average' } }],
  }));
  return out.MetricDataResults?.[0]?.Values ?? [];
}

test('the AWS heartbeat blueprint: PASSED with a screenshot and SuccessPercent 100, then FAILED on a 500 and the alarm fires', { timeout: 240_000 }, async () => {
  const script = readFileSync(join(import.meta.dirname, 'fixtures', 'synthetics', 'heartbeat-blueprint.js'), 'utf8');
  const id = await createAndStart(canary('heartbeat', puppeteerZip('pageLoadBlueprint', script), 'pageLoadBlueprint.handler', {
    Schedule: { Expression: 'rate(1 minute)' }, RunConfig: { TimeoutInSeconds: 60, EnvironmentVariables: { CANARY_URL: `${base}/` } },
  }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'heartbeat-down', Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent', Dimensions: [{ Name: 'CanaryName', Value: 'heartbeat' }],
    Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'notBreaching',
  }));
  const [first] = await finishedRuns('heartbeat', 1);
  assert.equal(first.Status?.State, 'PASSED', first.Status?.StateReason);
  assert.match(first.ArtifactS3Location!, new RegExp(`^canary-artifacts/synthetics/canary/us-east-1/heartbeat-${id}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${first.Id}$`));
  const files = filesUnder(join(bucketDir, first.ArtifactS3Location!.slice('canary-artifacts/'.length)));
  assert.ok(files.some((f) => f.endsWith('.png')), `a screenshot PNG in ${files.join(', ')}`);
  assert.ok(files.some((f) => f.endsWith('.har')) && files.some((f) => /^SyntheticsReport-PASSED\.json$/.test(f)), files.join(', '));
  await until('SuccessPercent 100', async () => ((await successPercent('heartbeat')).includes(100) ? true : undefined), 10_000);
  assert.equal(marked(first.Id!).length, 0, 'no browser process of the run survives');

  state.homeStatus = 500;
  const runs = await finishedRuns('heartbeat', 2, 100_000);
  const second = runs[0];
  assert.equal(second.Status?.State, 'FAILED');
  assert.match(second.Status!.StateReason!, /500/);
  await until('SuccessPercent 0', async () => ((await successPercent('heartbeat')).includes(0) ? true : undefined), 10_000);
  await until('alarm in ALARM', async () => {
    const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['heartbeat-down'] }))).MetricAlarms?.[0];
    return a?.StateValue === 'ALARM' ? a : undefined;
  }, 90_000);
  const events = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/cwsyn-heartbeat-${id}` }));
  assert.ok((events.events ?? []).length > 0, 'the run log is in the canary log group');
  await syn.send(new StopCanaryCommand({ Name: 'heartbeat' }));
  state.homeStatus = 200;
});

const API_SCRIPT = (itemsCheck: string) => `
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');
const request = (path) => ({ hostname: '127.0.0.1', port: Number(process.env.SITE_PORT), path, method: 'GET', protocol: 'http:', headers: {} });
const readBody = (res) => new Promise((resolve, reject) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => resolve(b)); res.on('error', reject); });
exports.handler = async () => {
  await synthetics.executeHttpStep('health', request('/api/health'), async (res) => {
    if (res.statusCode !== 200) throw new Error('health answered ' + res.statusCode);
  });
  await synthetics.executeHttpStep('items', request('/api/items'), async (res) => {
    const body = JSON.parse(await readBody(res));
    log.info('items: ' + JSON.stringify(body));
    if (!(${itemsCheck})) throw new Error('unexpected items: ' + JSON.stringify(body));
  });
};`;

test('API canaries with two executeHttpStep calls pass and fail on the JSON assertion', { timeout: 120_000 }, async () => {
  const env = { SITE_PORT: String(new URL(base).port) };
  // A rule on the default bus catches the failed run's "Synthetics Canary TestRun Failure" event.
  const events = new EventBridgeClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/events/canary-failures' }));
  await logs.send(new PutResourcePolicyCommand({ policyName: 'events', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] }) }));
  await events.send(new PutRuleCommand({ Name: 'canary-failures', EventPattern: JSON.stringify({ source: ['aws.synthetics'], 'detail-type': ['Synthetics Canary TestRun Failure'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'canary-failures', Targets: [{ Id: 'log', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/canary-failures' }] }));
  await createAndStart(canary('api-pass', puppeteerZip('api', API_SCRIPT('body.items.length === 3')), 'api.handler', { RunConfig: { TimeoutInSeconds: 60, EnvironmentVariables: env, ActiveTracing: true } }));
  await createAndStart(canary('api-fail', puppeteerZip('api', API_SCRIPT('body.items.length === 4')), 'api.handler', { RunConfig: { TimeoutInSeconds: 60, EnvironmentVariables: env } }));
  const [pass] = await finishedRuns('api-pass', 1);
  const [fail] = await finishedRuns('api-fail', 1);
  assert.equal(pass.Status?.State, 'PASSED', pass.Status?.StateReason);
  assert.equal(fail.Status?.State, 'FAILED');
  assert.match(fail.Status!.StateReason!, /unexpected items/);
  // ActiveTracing: the run is a trace with a subsegment per step.
  const xray = new XRayClient(sdkConfig(server.url));
  const trace = await until('the run\'s trace', async () => {
    const sums = await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(Date.now() - 600_000), EndTime: new Date(), FilterExpression: 'annotation.canary_name = "api-pass"' }));
    return sums.TraceSummaries?.[0];
  }, 10_000);
  const [full] = (await xray.send(new BatchGetTracesCommand({ TraceIds: [trace.Id!] }))).Traces ?? [];
  const doc = JSON.parse(full!.Segments![0]!.Document!) as { subsegments: { name: string }[] };
  assert.deepEqual(doc.subsegments.map((x) => x.name), ['health', 'items']);
  const caught = await until('the failure event', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/events/canary-failures' }));
    return out.events?.length ? out.events.map((e) => JSON.parse(e.message!) as { detail: Record<string, unknown> }) : undefined;
  }, 15_000);
  assert.deepEqual(caught.map((e) => [e.detail['canary-name'], e.detail['test-run-status'], e.detail['canary-run-id']]), [['api-fail', 'FAILED', fail.Id]]);
  await until('run-once canary STOPPED', async () => ((await syn.send(new GetCanaryCommand({ Name: 'api-pass' }))).Canary?.Status?.State === 'STOPPED' ? true : undefined), 10_000);
});

test('a Playwright-runtime ES module canary at the zip root (@aws/synthetics-playwright) runs', { timeout: 120_000 }, async () => {
  const script = `import { synthetics } from '@aws/synthetics-playwright';
export const handler = async () => {
  const browser = await synthetics.launch();
  const page = await synthetics.newPage(browser);
  await synthetics.executeStep('home', async () => {
    const response = await page.goto(process.env.URL);
    if (response.status() !== 200) throw new Error('status ' + response.status());
  }, undefined, page);
  await synthetics.close();
};`;
  await createAndStart(canary('playwright', zipOf({ 'index.mjs': script }), 'index.handler', { RuntimeVersion: 'syn-nodejs-playwright-5.1', RunConfig: { TimeoutInSeconds: 60, EnvironmentVariables: { URL: `${base}/` } } }));
  const [run] = await finishedRuns('playwright', 1);
  assert.equal(run.Status?.State, 'PASSED', run.Status?.StateReason);
  const files = readdirSync(join(bucketDir, run.ArtifactS3Location!.slice('canary-artifacts/'.length)));
  assert.ok(files.includes('01-home-succeeded.png') && files.includes('results.har'), files.join(', '));
});

test('a broken-link run reports the one broken link', { timeout: 120_000 }, async () => {
  const script = render('broken-link', { URL: `${base}/links`, LIMIT: 10 });
  await createAndStart(canary('links', puppeteerZip('brokenLinkChecker', script), 'brokenLinkChecker.handler', { RunConfig: { TimeoutInSeconds: 120 } }));
  const [run] = await finishedRuns('links', 1);
  assert.equal(run.Status?.State, 'FAILED');
  assert.match(run.Status!.StateReason!, /1 broken link/i);
  const dir = join(bucketDir, run.ArtifactS3Location!.slice('canary-artifacts/'.length));
  const report = JSON.parse(readFileSync(join(dir, 'SyntheticsReport-FAILED.json'), 'utf8')) as Record<string, unknown>;
  const text = JSON.stringify(report);
  assert.match(text, /\/gone/, 'the report names the broken link');
  assert.doesNotMatch(text.replace(/"[^"]*\/gone[^"]*"/g, ''), /"(brokenLinks|totalBrokenLinks|broken_links)":\s*[2-9]/);
});

test('visual monitoring fails when an element moves and passes when that area is ignored', { timeout: 180_000 }, async () => {
  const script = render('visual', { URL: `${base}/visual` });
  await createAndStart(canary('visual', puppeteerZip('visualMonitoring', script), 'visualMonitoring.handler', { RunConfig: { TimeoutInSeconds: 60 } }));
  const [baseRun] = await finishedRuns('visual', 1);
  assert.equal(baseRun.Status?.State, 'PASSED', baseRun.Status?.StateReason);
  await until('STOPPED', async () => ((await syn.send(new GetCanaryCommand({ Name: 'visual' }))).Canary?.Status?.State === 'STOPPED' ? true : undefined), 10_000);
  const shots = readdirSync(join(bucketDir, baseRun.ArtifactS3Location!.slice('canary-artifacts/'.length))).filter((f) => f.endsWith('.png'));
  assert.ok(shots.length > 0);
  await syn.send(new UpdateCanaryCommand({ Name: 'visual', VisualReference: { BaseCanaryRunId: 'lastrun', BaseScreenshots: shots.map((s) => ({ ScreenshotName: s })) } }));
  state.boxLeft = 700;
  await syn.send(new StartCanaryCommand({ Name: 'visual' }));
  const [moved] = await finishedRuns('visual', 2);
  assert.equal(moved.Status?.State, 'FAILED', 'the moved element is a visual variance');
  await until('STOPPED', async () => ((await syn.send(new GetCanaryCommand({ Name: 'visual' }))).Canary?.Status?.State === 'STOPPED' ? true : undefined), 10_000);
  // Ignore the band the box moves in (x1,y1,x2,y2 in page pixels).
  await syn.send(new UpdateCanaryCommand({ Name: 'visual', VisualReference: { BaseCanaryRunId: baseRun.Id, BaseScreenshots: shots.map((s) => ({ ScreenshotName: s, IgnoreCoordinates: ['0,0,1400,600'] })) } }));
  await syn.send(new StartCanaryCommand({ Name: 'visual' }));
  const [ignored] = await finishedRuns('visual', 3);
  assert.equal(ignored.Status?.State, 'PASSED', ignored.Status?.StateReason);
  state.boxLeft = 20;
});

test('a hanging script is killed at TimeoutInSeconds; a throwing one is FAILED with its stack in the log; no browser survives', { timeout: 120_000 }, async () => {
  const hang = `const synthetics = require('Synthetics');
exports.handler = async () => { const page = await synthetics.getPage(); await page.goto(process.env.URL); await new Promise(() => {}); };`;
  const boom = `const synthetics = require('Synthetics');
function deepInside() { throw new Error('boom from the script'); }
exports.handler = async () => { await synthetics.executeStep('explode', async () => deepInside()); };`;
  const hangId = await createAndStart(canary('hang', puppeteerZip('hang', hang), 'hang.handler', { RunConfig: { TimeoutInSeconds: 8, EnvironmentVariables: { URL: `${base}/hang` } } }));
  const boomId = await createAndStart(canary('boom', puppeteerZip('boom', boom), 'boom.handler', { RunConfig: { TimeoutInSeconds: 60 } }));
  const started = Date.now();
  const [hung] = await finishedRuns('hang', 1);
  assert.equal(hung.Status?.State, 'FAILED');
  assert.match(hung.Status!.StateReason!, /timed out after 8 seconds/i);
  const took = hung.Timeline!.Completed!.getTime() - hung.Timeline!.Started!.getTime();
  // The runtime's watchdog ends the run just before the timeout (so its log and report are kept);
  // the parent's kill at the timeout is the backstop.
  assert.ok(took >= 6000 && took < 13_000, `ended at the timeout (took ${took} ms, ${Date.now() - started} ms since start)`);
  assert.deepEqual(marked(hung.Id!), [], 'no process of the killed run survives');
  const [boomed] = await finishedRuns('boom', 1);
  assert.equal(boomed.Status?.State, 'FAILED');
  assert.match(boomed.Status!.StateReason!, /boom from the script/);
  const events = await until('the stack in the log', async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/cwsyn-boom-${boomId}`, filterPattern: '"deepInside"' }));
    return out.events?.length ? out.events : undefined;
  }, 10_000);
  assert.ok(events.length > 0);
  assert.ok(hangId);
});
