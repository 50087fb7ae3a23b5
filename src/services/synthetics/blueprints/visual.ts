/** Visual monitoring: a screenshot compared with the base run's, failing over a variance threshold. */
import type { Blueprint } from './blueprint.ts';

export const visual: Blueprint = {
  name: 'visual',
  title: 'Visual monitoring',
  description: 'Loads a page and compares its screenshot with the same screenshot of the canary\'s base run; the run fails when more than the threshold percentage of the (not ignored) pixels differ.',
  runtimeFamily: 'puppeteer',
  fileName: 'nodejs/node_modules/visualMonitoringBlueprint.js',
  handler: 'visualMonitoringBlueprint.handler',
  params: [
    { name: 'URL', description: 'The page to watch.', default: 'https://example.com' },
    { name: 'THRESHOLD_PERCENT', description: 'Accepted share of differing pixels.', default: 5 },
    { name: 'TIMEOUT_MS', description: 'How long the page may take to load.', default: 30000 },
  ],
  source: `// Osprey visual monitoring canary.
const synthetics = require('Synthetics');

const url = process.env.URL || {{URL}};
const config = synthetics.getConfiguration();
config.withVisualCompareWithBaseRun(true).withVisualVarianceThresholdPercentage({{THRESHOLD_PERCENT}});
// Only the explicit screenshot below is compared: the page before loading is not worth watching.
config.disableStepScreenshots();

exports.handler = async () => {
  const page = await synthetics.getPage();
  await synthetics.executeStep('loadPage', async () => {
    const response = await page.goto(url, { waitUntil: 'load', timeout: {{TIMEOUT_MS}} });
    if (!response || response.status() >= 400) {
      throw new Error('Failed to load url: ' + url + ' status code: ' + (response ? response.status() : 'none'));
    }
  });
  await synthetics.takeScreenshot('loadPage', 'loaded');
};
`,
};
