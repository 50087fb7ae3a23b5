/** GUI workflow: open a page, then click / type / verify by selector, one step per action. */
import type { Blueprint } from './blueprint.ts';

export const guiWorkflow: Blueprint = {
  name: 'gui-workflow',
  title: 'GUI workflow builder',
  description: 'Opens a page and runs a list of actions as steps — click, click with navigation, input text, verify a selector, verify text — each with its screenshots.',
  runtimeFamily: 'puppeteer',
  fileName: 'nodejs/node_modules/guiWorkflowBlueprint.js',
  handler: 'guiWorkflowBlueprint.handler',
  params: [
    { name: 'URL', description: 'The page the workflow starts on.', default: 'https://example.com' },
    {
      name: 'ACTIONS',
      description: 'Steps: {type: "click"|"clickWithNavigation"|"input"|"verifySelector"|"verifyText", selector, text?}. Selectors are CSS, or XPath when they start with / or (.',
      default: [{ type: 'verifySelector', selector: 'h1' }],
    },
    { name: 'TIMEOUT_MS', description: 'How long each action may wait for its element.', default: 30000 },
  ],
  source: `// Osprey GUI workflow canary.
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');

const url = process.env.URL || {{URL}};
const actions = {{ACTIONS}};
const timeout = {{TIMEOUT_MS}};

// Puppeteer reads XPath through the xpath/ selector prefix.
function selectorOf(s) {
  return s.startsWith('/') || s.startsWith('(') ? 'xpath/' + s : s;
}

async function perform(page, action) {
  const selector = selectorOf(action.selector);
  const element = await page.waitForSelector(selector, { visible: true, timeout });
  if (!element) throw new Error('No element matches ' + action.selector);
  switch (action.type) {
    case 'click':
      return element.click();
    case 'clickWithNavigation':
      return Promise.all([page.waitForNavigation({ timeout }), element.click()]);
    case 'input':
      return element.type(action.text || '');
    case 'verifySelector':
      return undefined;
    case 'verifyText': {
      const text = await element.evaluate((e) => e.textContent || '');
      if (!text.includes(action.text)) throw new Error('Element ' + action.selector + ' does not contain "' + action.text + '"');
      return undefined;
    }
    default:
      throw new Error('Unknown action type ' + action.type);
  }
}

exports.handler = async () => {
  const page = await synthetics.getPage();
  await synthetics.executeStep('navigateToUrl', async () => {
    const response = await page.goto(url, { waitUntil: 'load', timeout });
    if (!response || response.status() >= 400) throw new Error('Failed to load url: ' + url);
  });
  for (const [i, action] of actions.entries()) {
    await synthetics.executeStep(i + 1 + '_' + action.type, async () => {
      await perform(page, action);
      log.info(action.type + ' ' + action.selector + ' done');
    });
  }
};
`,
};
