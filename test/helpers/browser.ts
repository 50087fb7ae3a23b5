// The console's browser tests share one way to start Debian's Chromium (playwright-core): the console
// built if `npm install` did not, screenshots under test/console/artifacts/, a throwaway profile and
// flags that keep Chromium off the (closed) network at start-up.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './server.ts';

export const ARTIFACTS = join(ROOT, 'test', 'console', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  browser: Browser;
  /** Close the browser and remove its profile. */
  close(): Promise<void>;
}

export async function launchTestBrowser(): Promise<TestBrowser> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs'), '--if-missing'], { stdio: 'inherit' });
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'osprey-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--disk-cache-dir=${profile}`],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ConsoleSession extends TestBrowser {
  /** A 1400×900 page in UTC, signed in. */
  page: Page;
  /** Native dialogs the console opened (each dismissed): the console is meant to open none. */
  nativeDialogs: string[];
}

/** Chromium with one page signed in to the console at `url` with the default keys (test/test). */
export async function signedInConsole(url: string): Promise<ConsoleSession> {
  const testBrowser = await launchTestBrowser();
  const page = await testBrowser.browser.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: 'UTC' });
  page.setDefaultTimeout(20_000);
  const nativeDialogs: string[] = [];
  page.on('dialog', (d) => {
    nativeDialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url);
  await page.getByLabel('Access key ID').fill('test');
  await page.getByLabel('Secret access key').fill('test');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return { ...testBrowser, page, nativeDialogs };
}
