/**
 * The runtime versions Osprey runs. Scripts written for AWS's Node.js runtimes run unchanged:
 * Puppeteer ones through puppeteer-core, Playwright ones through playwright-core, both driving the
 * system's Chromium (runtime/). Python/Selenium and Java runtimes are AWS's too but Osprey cannot
 * run them: they are refused with a clear ValidationException rather than created and never run.
 */
import type { RuntimeVersion } from '@aws-sdk/client-synthetics';
import type { RuntimeFamily } from './runtime/job.ts';

const PUPPETEER = ['9.1', '10.0', '11.0', '12.0', '13.0', '13.1', '14.0', '15.0'];
const PLAYWRIGHT = ['1.0', '2.0', '3.0', '4.0', '5.0', '5.1', '6.0', '7.0', '8.0', '9.0'];

export const RUNTIME_VERSIONS: ReadonlyMap<string, RuntimeFamily> = new Map([
  ...PUPPETEER.map((v) => [`syn-nodejs-puppeteer-${v}`, 'puppeteer'] as const),
  ...PLAYWRIGHT.map((v) => [`syn-nodejs-playwright-${v}`, 'playwright'] as const),
]);

export function runtimeFamily(version: string): RuntimeFamily | undefined {
  return RUNTIME_VERSIONS.get(version);
}

/** Why a runtime version is refused: AWS's own runtimes Osprey cannot run get their own message. */
export function unsupportedRuntimeMessage(version: string): string {
  if (/^syn-((python-selenium|java|nodejs-puppeteer|nodejs-playwright)-\d|nodejs-\d|1\.0)/.test(version)) {
    return `Runtime version ${version} is not supported. Osprey runs syn-nodejs-puppeteer-${PUPPETEER[0]} to ${PUPPETEER.at(-1)} and syn-nodejs-playwright-${PLAYWRIGHT[0]} to ${PLAYWRIGHT.at(-1)} canaries (see DescribeRuntimeVersions).`;
  }
  return `Invalid runtime version: ${version}. See DescribeRuntimeVersions for the runtime versions available.`;
}

export function describeRuntimeVersions(): RuntimeVersion[] {
  return [...RUNTIME_VERSIONS].map(([name, family]) => ({
    VersionName: name,
    Description: family === 'puppeteer'
      ? 'Node.js with Puppeteer (puppeteer-core driving the system Chromium); Synthetics, SyntheticsLogger, SyntheticsLink, BrokenLinkCheckerReport and the @aws/synthetics-* modules.'
      : 'Node.js with Playwright (playwright-core driving the system Chromium); @amzn/synthetics-playwright and @aws/synthetics-playwright.',
  }));
}
