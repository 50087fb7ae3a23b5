/** Broken link checker: the start page and the links on it, up to a limit, into a BrokenLinkCheckerReport. */
import type { Blueprint } from './blueprint.ts';

export const brokenLink: Blueprint = {
  name: 'broken-link',
  title: 'Broken link checker',
  description: 'Opens a page, collects its links, follows up to a number of them (the page itself counts as the first) and reports each one\'s status in BrokenLinkCheckerReport.json; the run fails when a link is broken (no response or status 400+).',
  runtimeFamily: 'puppeteer',
  fileName: 'nodejs/node_modules/brokenLinkCheckerBlueprint.js',
  handler: 'brokenLinkCheckerBlueprint.handler',
  params: [
    { name: 'URL', description: 'The page whose links are checked.', default: 'https://example.com' },
    { name: 'LIMIT', description: 'How many links to follow, the start page included.', default: 10 },
    { name: 'TIMEOUT_MS', description: 'How long each link may take to load.', default: 30000 },
    { name: 'FAIL_ON_BROKEN', description: 'Whether a broken link fails the run.', default: true },
  ],
  source: `// Osprey broken link checker canary.
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');
const SyntheticsLink = require('SyntheticsLink');
const BrokenLinkCheckerReport = require('BrokenLinkCheckerReport');

const startUrl = process.env.URL || {{URL}};
const limit = {{LIMIT}};
const timeoutMs = {{TIMEOUT_MS}};
const failOnBroken = {{FAIL_ON_BROKEN}};

synthetics.getConfiguration().setConfig({ screenshotOnStepStart: false, screenshotOnStepSuccess: true, screenshotOnStepFailure: true });

async function collectLinks(page) {
  const anchors = await page.$$eval('a[href]', (as) => as.map((a) => ({ href: a.href, text: (a.innerText || '').trim() })));
  return anchors.filter((a) => /^https?:/i.test(a.href));
}

async function check(page, target, report) {
  const link = new SyntheticsLink(target.url).withParentUrl(target.parentUrl).withText(target.text);
  let links = [];
  try {
    const response = await page.goto(target.url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    if (response) link.withStatusCode(response.status()).withStatusText(response.statusText());
    else link.withFailureReason('No response');
    // Links are collected from the start page only, as AWS's checker does.
    if (!target.parentUrl && response && response.ok()) links = await collectLinks(page);
  } catch (e) {
    link.withFailureReason(e);
  }
  report.addLink(link);
  log.info('Checked ' + target.url + ': ' + (link.getStatusCode() || link.getFailureReason()));
  return links;
}

exports.handler = async () => {
  const page = await synthetics.getPage();
  const report = new BrokenLinkCheckerReport();
  const queue = [{ url: startUrl, parentUrl: '', text: '' }];
  const seen = new Set();
  await synthetics.executeStep('verifyLinks', async () => {
    while (queue.length > 0 && seen.size < limit) {
      const target = queue.shift();
      const key = target.url.split('#')[0];
      if (seen.has(key)) continue;
      seen.add(key);
      const found = await check(page, target, report);
      for (const a of found) queue.push({ url: a.href, parentUrl: target.url, text: a.text });
    }
  });
  await synthetics.addReport(report);
  const broken = report.getTotalBrokenLinks();
  log.info(report.getTotalLinksChecked() + ' link(s) checked, ' + broken + ' broken');
  if (failOnBroken && broken > 0) throw new Error(broken + ' broken link(s) found');
};
`,
};
