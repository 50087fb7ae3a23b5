/**
 * The puppeteer family's `Synthetics` object (`require('Synthetics')`, `@aws/synthetics-puppeteer`):
 * launch/getPage/close around puppeteer-core with the job's Chromium, every page instrumented for
 * the HAR, request counts and the canary user agent, plus executeStep/takeScreenshot/addUserAgent
 * and the deprecated RequestResponseLogHelper accessors. The browser starts on first need (getPage,
 * launch, takeScreenshot), so an API-only canary never starts one.
 */
import type { Browser, LaunchOptions, Page } from 'puppeteer-core';
import { NetworkLog, type CdpSessionLike } from './cdp-network.ts';
import { loadPuppeteer } from './deps.ts';
import { chromiumArgs, DEFAULT_VIEWPORT, profileDir, removeProfile, withRequiredArgs } from './launch-options.ts';
import { RequestResponseLogHelper } from './request-response-log-helper.ts';
import type { RunContext } from './run-context.ts';
import { SyntheticsBase, type ScreenshotPage } from './synthetics-base.ts';

export class PuppeteerSynthetics extends SyntheticsBase {
  private browser: Browser | undefined;
  private page: Page | undefined;
  private starting: Promise<Browser> | undefined;
  private profile: string | undefined;
  private pageCount = 0;
  private readonly instrumented = new WeakSet<Page>();
  private logHelperLegacy = new RequestResponseLogHelper();
  private readonly network: NetworkLog;

  constructor(ctx: RunContext) {
    super(ctx);
    this.network = new NetworkLog(ctx);
    // Makes `const { synthetics } = require('@aws/synthetics-puppeteer')` work on the same object.
    Object.defineProperty(this, 'synthetics', { value: this });
  }

  getDefaultLaunchOptions(): LaunchOptions {
    return {
      executablePath: this.ctx.job.chromiumPath,
      headless: true,
      args: chromiumArgs(this.ctx.job.runId),
      defaultViewport: { ...DEFAULT_VIEWPORT },
      acceptInsecureCerts: false,
    };
  }

  /** Closes the current browser and starts a new one with the defaults overlaid by `options`. */
  async launch(options: LaunchOptions = {}): Promise<Browser> {
    await this.close();
    this.starting = this.start(options);
    return this.starting;
  }

  async getPage(): Promise<Page> {
    if (!this.page) await (this.starting ?? this.launch());
    return this.page as Page;
  }

  async close(): Promise<void> {
    const browser = this.browser ?? (await this.starting?.catch(() => undefined));
    this.browser = undefined;
    this.page = undefined;
    this.starting = undefined;
    if (browser) {
      await browser.close().catch((e: unknown) => this.ctx.logger.warn(`Closing the browser failed: ${String(e)}`));
      // close() waits for the browser process; if it hung, the kill below makes sure it is gone.
      browser.process()?.kill('SIGKILL');
    }
    removeProfile(this.profile);
    this.profile = undefined;
  }

  executeStep<T>(stepName: string, functionToExecute: () => T | Promise<T>, stepConfig?: Partial<Record<string, unknown>>): Promise<T | undefined> {
    return this.uiStep(stepName, functionToExecute, stepConfig);
  }

  /** Appends `userAgentString` to the page's current user agent. */
  async addUserAgent(page: Page, userAgentString: string): Promise<void> {
    const current = (await page.evaluate('navigator.userAgent')) as string;
    await page.setUserAgent(`${current}${userAgentString}`);
  }

  getRequestResponseLogHelper(): RequestResponseLogHelper {
    this.ctx.logger.warn('getRequestResponseLogHelper is deprecated; use the SyntheticsConfiguration log options');
    return this.logHelperLegacy;
  }

  setRequestResponseLogHelper(helper?: RequestResponseLogHelper): RequestResponseLogHelper {
    this.ctx.logger.warn('setRequestResponseLogHelper is deprecated; use the SyntheticsConfiguration log options');
    if (helper) this.logHelperLegacy = helper;
    this.network.legacyHelper = this.logHelperLegacy;
    return this.logHelperLegacy;
  }

  protected currentPage(): ScreenshotPage | undefined {
    return this.page as ScreenshotPage | undefined;
  }

  protected async screenshotPage(): Promise<ScreenshotPage> {
    return (await this.getPage()) as unknown as ScreenshotPage;
  }

  private async start(options: LaunchOptions): Promise<Browser> {
    const t0 = Date.now();
    this.profile = profileDir(this.ctx.job.runId);
    const merged = { ...this.getDefaultLaunchOptions(), userDataDir: this.profile, ...options };
    const browser = await loadPuppeteer().launch({ ...merged, args: withRequiredArgs(merged.args, this.ctx.job.runId) });
    this.browser = browser;
    // Pages the script opens itself are instrumented too.
    browser.on('targetcreated', (target) => {
      if (target.type() !== 'page') return;
      void target.page().then((p) => p && this.instrument(p)).catch(() => undefined);
    });
    const [first] = await browser.pages();
    this.page = first ?? (await browser.newPage());
    await this.instrument(this.page);
    this.ctx.launchMs += Date.now() - t0;
    this.ctx.logger.info(`Browser launched (${await browser.version()})`);
    return browser;
  }

  private async instrument(page: Page): Promise<void> {
    if (this.instrumented.has(page)) return;
    this.instrumented.add(page);
    const session = await page.createCDPSession();
    await this.network.attach(session as unknown as CdpSessionLike, `page_${++this.pageCount}`);
    const ua = await page.browser().userAgent();
    await page.setUserAgent(`${ua} ${this.ctx.userAgentString()}`);
  }
}
