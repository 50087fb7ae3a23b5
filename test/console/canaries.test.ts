// End-to-end (Chromium via playwright-core, real server, real canary runs): a heartbeat canary
// created in the console from its blueprint against a local page runs once; its run shows PASSED in
// the run history, and opening it shows the report's steps, a screenshot loaded through the signed
// artifact route, the HAR waterfall, the run log and the log group's events; the list shows the
// last run and a SuccessPercent sparkline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';

let server: TestServer;
let site: Server;
let siteUrl: string;
let page: Page;
let testBrowser: ConsoleSession;
const base = () => server.url.replace(/\/$/, '');
// The artifact bucket the canary names, mapped to a directory as an operator would map it.
const bucketDir = mkdtempSync(join(tmpdir(), 'osprey-canary-bucket-'));

/** The image element's decode state (the tests' TypeScript has no DOM types). */
interface Img { complete: boolean; naturalWidth: number }

/** Waits until the <img> has loaded and decoded: a blob URL of a real PNG, not a broken image. */
async function decoded(img: Locator): Promise<number> {
  await img.waitFor();
  return until(`${await img.getAttribute('alt')} decoded`, () => img.evaluate((el) => {
    const i = el as unknown as Img;
    return i.complete && i.naturalWidth > 0 ? i.naturalWidth : undefined;
  }), 20_000);
}

before(async () => {
  // The page the canary checks: HTML that loads a stylesheet, so the HAR holds more than one request.
  site = createServer((req, res) => {
    if (req.url === '/style.css') return res.writeHead(200, { 'content-type': 'text/css' }).end('h1 { color: #0972d3; }');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>Shop</title><link rel="stylesheet" href="/style.css"></head><body><h1>Shop is up</h1></body></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  server = await startTestServer({
    modules: ['logs', 'cloudwatch', 'synthetics'],
    env: { OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'canary-artifacts': `file://${bucketDir}` }) },
  });
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  await server?.stop();
  server?.cleanup();
  await new Promise((resolve) => site?.close(resolve));
  rmSync(bucketDir, { recursive: true, force: true });
});

test('a heartbeat canary created from its blueprint runs once and shows its steps, screenshot and HAR', { timeout: 240_000 }, async () => {
  await page.goto(`${base()}/canaries`);
  await page.getByText('No canaries yet').waitFor();
  const form = page.getByRole('form', { name: 'Create canary' });
  await form.getByRole('combobox', { name: /^Blueprint/ }).selectOption('heartbeat');
  await form.getByLabel('Name', { exact: true }).fill('shop-heartbeat');
  await form.getByLabel(/URL/).first().fill(siteUrl);
  await form.getByRole('combobox', { name: /^Schedule/ }).selectOption('rate(0 minute)');
  await form.getByLabel('Artifact location').fill('s3://canary-artifacts/shop');
  await form.getByRole('button', { name: 'Create canary' }).click();

  // Created and started: the console opens the canary, whose run history fills as the run ends.
  await page.waitForURL((u) => u.searchParams.get('canary') === 'shop-heartbeat', { timeout: 60_000 });
  const runs = page.getByRole('table', { name: 'Runs' });
  const passed = runs.getByRole('row').filter({ hasText: 'PASSED' });
  await passed.first().waitFor({ timeout: 180_000 });
  await passed.first().getByRole('button', { name: /Open run/ }).click();

  const steps = page.getByRole('table', { name: 'Steps' });
  await steps.waitFor();
  assert.match(await steps.getByRole('row').nth(1).innerText(), /PASSED/);

  const shot = page.getByRole('region', { name: /^Run / }).getByLabel('Screenshots').locator('img').first();
  assert.ok(await decoded(shot) > 0, 'the screenshot decoded');

  const har = page.getByRole('table', { name: 'HAR waterfall' });
  await har.waitFor();
  const rows = har.getByRole('row').filter({ hasText: siteUrl });
  assert.ok(await rows.count() >= 1, 'the checked page is in the HAR');
  assert.match(await har.innerText(), /style\.css/);
  await page.getByLabel('Run log').waitFor();
  // The run's log also went to the canary's log group, shown under the run.
  await page.getByRole('table', { name: 'Canary log events' }).getByText(/Canary run PASSED/).waitFor({ timeout: 30_000 });

  await page.screenshot({ path: join(ARTIFACTS, 'canary-run.png'), fullPage: true });

  // A screenshot opens full size in the console's own dialog.
  await page.getByRole('button', { name: /^Enlarge / }).first().click();
  await page.getByRole('dialog').locator('img').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  // The list shows the canary with its last run.
  await page.getByRole('link', { name: '← Canaries' }).click();
  const list = page.getByRole('table', { name: 'Canaries' });
  await list.getByRole('link', { name: 'shop-heartbeat' }).waitFor();
  assert.match(await list.getByRole('row').nth(1).innerText(), /PASSED/);
  // SuccessPercent of the run, as a sparkline.
  await list.getByTestId('Success of shop-heartbeat').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'canaries-list.png'), fullPage: true });
  assert.deepEqual(testBrowser.nativeDialogs, []);
});

test('a visual monitoring canary: the second run shows its screenshot next to the base run\'s and the diff; delete removes it', { timeout: 240_000 }, async () => {
  await page.goto(`${base()}/canaries`);
  const form = page.getByRole('form', { name: 'Create canary' });
  await form.getByRole('combobox', { name: /^Blueprint/ }).selectOption('visual');
  await form.getByLabel('Name', { exact: true }).fill('shop-visual');
  await form.getByLabel(/^URL —/).fill(siteUrl);
  await form.getByRole('combobox', { name: /^Schedule/ }).selectOption('rate(0 minute)');
  await form.getByLabel('Artifact location').fill('s3://canary-artifacts/visual');
  await form.getByRole('button', { name: 'Create canary' }).click();
  // Create, wait out CREATING, set the visual baseline, start: four calls and a provisioning step.
  await page.waitForURL((u) => u.searchParams.get('canary') === 'shop-visual', { timeout: 60_000 });

  // The first run becomes the base (nextrun); a second run is compared with it.
  const runs = page.getByRole('table', { name: 'Runs' });
  const passed = runs.getByRole('row').filter({ hasText: 'PASSED' });
  await passed.first().waitFor({ timeout: 180_000 });
  await page.getByRole('button', { name: 'Start shop-visual' }).click();
  await passed.nth(1).waitFor({ timeout: 180_000 });
  await passed.first().getByRole('button', { name: /Open run/ }).click();

  const shots = page.getByRole('region', { name: /^Run / }).getByLabel('Screenshots');
  for (const role of ['base', 'current', 'difference']) {
    await decoded(shots.getByRole('img', { name: new RegExp(`\\(${role}\\)$`) }));
  }
  await page.screenshot({ path: join(ARTIFACTS, 'canary-visual.png'), fullPage: true });

  // Deleting the (stopped) canary goes back to the list, without it.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog', { name: 'Delete canary' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL((u) => u.pathname === '/canaries' && !u.searchParams.has('canary'));
  const list = page.getByRole('table', { name: 'Canaries' });
  await list.getByRole('link', { name: 'shop-heartbeat' }).waitFor();
  assert.equal(await list.getByRole('link', { name: 'shop-visual' }).count(), 0);
  assert.deepEqual(testBrowser.nativeDialogs, []);
});
