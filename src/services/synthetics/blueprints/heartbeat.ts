/** Heartbeat monitoring: load each URL, fail on a missing or error response, keep a screenshot and the HAR. */
import type { Blueprint } from './blueprint.ts';

export const heartbeat: Blueprint = {
  name: 'heartbeat',
  title: 'Heartbeat monitoring',
  description: 'Loads one or more URLs in Chromium, fails when a page answers with an error status, and keeps a screenshot, the HAR file and the log of every run.',
  runtimeFamily: 'puppeteer',
  fileName: 'nodejs/node_modules/pageLoadBlueprint.js',
  handler: 'pageLoadBlueprint.handler',
  params: [
    { name: 'URLS', description: 'The URLs to load, in order (the URL or URLS environment variable overrides them).', default: ['https://example.com'] },
    { name: 'TIMEOUT_MS', description: 'How long each page may take to load.', default: 30000 },
  ],
  source: `// Osprey heartbeat canary: loads each URL and checks that it answers without an error status.
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');

const fromEnv = process.env.URLS || process.env.URL;
const urls = fromEnv ? fromEnv.split(',').map((u) => u.trim()).filter(Boolean) : {{URLS}};
const timeoutMs = {{TIMEOUT_MS}};

// One screenshot per page, after it loaded (or failed); none of the blank page before.
synthetics.getConfiguration().setConfig({
  screenshotOnStepStart: false,
  screenshotOnStepSuccess: true,
  screenshotOnStepFailure: true,
});

function stepNameFor(url, index) {
  const u = new URL(url);
  const name = (u.hostname + u.pathname).replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return urls.length > 1 ? index + 1 + '_' + name : name;
}

async function loadUrl(page, url, index) {
  await synthetics.executeStep(stepNameFor(url, index), async () => {
    const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    if (!response) throw new Error('Failed to load url: ' + url + ' (no response)');
    const status = response.status();
    log.info('Loaded ' + url + ': ' + status + ' ' + response.statusText());
    if (status < 200 || status >= 400) {
      throw new Error('Failed to load url: ' + url + ' status code: ' + status + ' ' + response.statusText());
    }
  });
}

exports.handler = async () => {
  const page = await synthetics.getPage();
  for (const [index, url] of urls.entries()) {
    await loadUrl(page, url, index);
  }
  return 'Loaded ' + urls.length + ' page(s)';
};
`,
};
