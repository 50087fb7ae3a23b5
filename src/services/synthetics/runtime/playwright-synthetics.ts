/**
 * The playwright family's `synthetics` object (`@amzn/synthetics-playwright`): launch a
 * playwright-core Chromium with the job's executable, newPage in a new or given browser context
 * (instrumented through a CDP session like the puppeteer family's pages), executeStep with an
 * optional page, takeScreenshot, close, and the shared configuration/reporting surface.
 */
import type { Browser, BrowserContext, LaunchOptions, Page } from 'playwright-core';
import { NetworkLog, type CdpSessionLike } from './cdp-network.ts';
import { loadPlaywright } from './deps.ts';
import { chromiumArgs, DEFAULT_VIEWPORT, withRequiredArgs } from './launch-options.ts';
import type { RunContext } from './run-context.ts';
import { SyntheticsBase, type ScreenshotPage } from './synthetics-base.ts';

type Viewport = { width: number; height: number; deviceScaleFactor?: number };
type PlaywrightLaunch = LaunchOptions & { defaultViewport?: Viewport };

const isBrowser = (t: unknown): t is Browser => typeof (t as Browser | undefined)?.newContext === 'function';

export class PlaywrightSynthetics extends SyntheticsBase {
  private browser: Browser | undefined;
  private lastPage: Page | undefined;
  private viewport: Viewport = { ...DEFAULT_VIEWPORT };
  private pageCount = 0;
  private readonly network: NetworkLog;

  constructor(ctx: RunContext) {
    super(ctx);
    this.network = new NetworkLog(ctx);
  }

  getDefaultLaunchOptions(): PlaywrightLaunch {
    return { executablePath: this.ctx.job.chromiumPath, headless: true, args: chromiumArgs(this.ctx.job.runId) };
  }

  /**
   * Closes a previous browser and launches one. AWS's examples pass puppeteer's `defaultViewport`
   * here; playwright sets viewports per context, so it becomes the viewport of the contexts
   * newPage creates.
   */
  async launch(options: PlaywrightLaunch = {}): Promise<Browser> {
    await this.close();
    const t0 = Date.now();
    const { defaultViewport, ...rest } = options;
    if (defaultViewport) this.viewport = { ...defaultViewport };
    const merged = { ...this.getDefaultLaunchOptions(), ...rest };
    this.browser = await loadPlaywright().chromium.launch({ ...merged, args: withRequiredArgs(merged.args, this.ctx.job.runId) });
    this.ctx.launchMs += Date.now() - t0;
    this.ctx.logger.info(`Browser launched (${this.browser.version()})`);
    return this.browser;
  }

  /** A new page in a new context of `target` (a Browser), in `target` (a BrowserContext), or in the launched browser. */
  async newPage(target?: Browser | BrowserContext): Promise<Page> {
    const owner = target ?? this.browser ?? (await this.launch());
    const context = isBrowser(owner)
      ? await owner.newContext({
          viewport: { width: this.viewport.width, height: this.viewport.height },
          deviceScaleFactor: this.viewport.deviceScaleFactor ?? 1,
        })
      : owner;
    const page = await context.newPage();
    const session = await context.newCDPSession(page);
    await this.network.attach(session as unknown as CdpSessionLike, `page_${++this.pageCount}`);
    // The canary's user agent is appended to the browser's, as the puppeteer family does.
    const { userAgent } = await session.send('Browser.getVersion');
    await session.send('Network.setUserAgentOverride', { userAgent: `${userAgent} ${this.ctx.userAgentString()}` });
    this.lastPage = page;
    return page;
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    this.lastPage = undefined;
    await browser?.close().catch((e: unknown) => this.ctx.logger.warn(`Closing the browser failed: ${String(e)}`));
  }

  /** executeStep(stepName, functionToExecute, [stepConfig], [page]); the page is where screenshots come from. */
  executeStep<T>(stepName: string, functionToExecute: () => T | Promise<T>, stepConfig?: Partial<Record<string, unknown>>, page?: Page): Promise<T | undefined> {
    return this.uiStep(stepName, functionToExecute, stepConfig, page as unknown as ScreenshotPage | undefined);
  }

  protected currentPage(): ScreenshotPage | undefined {
    return this.lastPage && !this.lastPage.isClosed() ? (this.lastPage as unknown as ScreenshotPage) : undefined;
  }

  protected async screenshotPage(): Promise<ScreenshotPage> {
    return (this.currentPage() ?? (await this.newPage())) as unknown as ScreenshotPage;
  }
}
