// The console's browser tests share one way to start Debian's Chromium (playwright-core): the console
// built if `npm install` did not, screenshots under test/console/artifacts/, a throwaway profile and
// flags that keep Chromium off the (closed) network at start-up.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
