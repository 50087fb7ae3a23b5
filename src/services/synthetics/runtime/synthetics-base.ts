/**
 * The part of the `Synthetics` object both families share: configuration, canary identity, log
 * level, execution errors, custom reports, URL/header/error sanitizing, executeHttpStep and the
 * step/screenshot plumbing. puppeteer-synthetics.ts and playwright-synthetics.ts add the browser.
 */
import type { IncomingMessage } from 'node:http';
import type { SyntheticsConfiguration } from './config.ts';
import { executeHttpStep } from './http-step.ts';
import type { ScreenshotRecord, RunContext } from './run-context.ts';
import { takeScreenshot, type PageCapture } from './screenshots.ts';
import { errorMessage, runStep } from './steps.ts';

type StepConfig = Partial<Record<string, unknown>>;

/** Anything with a screenshot method and a url — a puppeteer or a playwright Page. */
export interface ScreenshotPage {
  screenshot(options?: Record<string, unknown>): Promise<Uint8Array>;
  url(): string;
}

export function capture(page: ScreenshotPage): PageCapture {
  return { png: () => page.screenshot({ type: 'png' }), url: () => page.url() };
}

export abstract class SyntheticsBase {
  constructor(protected readonly ctx: RunContext) {}

  /** The page a step's screenshots are taken of, when one exists (none is launched for it). */
  protected abstract currentPage(): ScreenshotPage | undefined;

  /** The page takeScreenshot captures; a family may start its browser for it. */
  protected abstract screenshotPage(): Promise<ScreenshotPage>;

  getConfiguration(): SyntheticsConfiguration {
    return this.ctx.config;
  }

  getCanaryName(): string {
    return this.ctx.job.canary.name;
  }

  getCanaryArn(): string {
    return this.ctx.job.canary.arn;
  }

  getCanaryUserAgentString(): string {
    return this.ctx.userAgentString();
  }

  getRuntimeVersion(): string {
    return this.ctx.job.canary.runtimeVersion;
  }

  getLogLevel(): number {
    return this.ctx.logger.getLogLevel();
  }

  setLogLevel(level: number): void {
    this.ctx.logger.setLogLevel(level);
  }

  /** Fails the run without stopping the script, as AWS documents. */
  addExecutionError(errorMessageText: string, ex?: unknown): void {
    const message = ex === undefined ? String(errorMessageText) : `${errorMessageText}${errorMessage(ex)}`;
    this.ctx.executionErrors.push(this.ctx.logHelper.getSanitizedErrorMessage(message));
    this.ctx.logger.error(`Execution error: ${message}`, ex instanceof Error ? ex.stack : undefined);
  }

  /** Writes `<ReportName>.json` and carries the report into the SyntheticsReport. */
  async addReport(report: { getReportName?: () => string; toJSON?: () => unknown; constructor?: { name?: string } }): Promise<void> {
    const name = report.getReportName?.() ?? report.constructor?.name ?? 'CustomReport';
    const content = typeof report.toJSON === 'function' ? report.toJSON() : report;
    this.ctx.customReports.push({ name, content });
    this.ctx.writeArtifact(`${name}.json`, JSON.stringify(content, null, 2));
  }

  getSanitizedUrl(url: string, stepConfig?: StepConfig): string {
    return this.ctx.logHelper.getSanitizedUrl(url, stepConfig);
  }

  getSanitizedErrorMessage(error: unknown, stepConfig?: StepConfig): string {
    return this.ctx.logHelper.getSanitizedErrorMessage(error, stepConfig);
  }

  getSanitizedHeaders(headers: Record<string, unknown>, stepConfig?: StepConfig): Record<string, string> {
    return this.ctx.logHelper.getSanitizedHeaders(headers, stepConfig);
  }

  executeHttpStep(stepName: string, requestOptions: string | URL | Record<string, unknown>, callback?: (res: IncomingMessage) => unknown, stepConfig?: StepConfig): Promise<unknown> {
    return executeHttpStep(this.ctx, stepName, requestOptions, callback, stepConfig);
  }

  async takeScreenshot(stepName: string, suffix?: string): Promise<ScreenshotRecord> {
    return takeScreenshot(this.ctx, capture(await this.screenshotPage()), String(stepName), suffix === undefined ? undefined : String(suffix));
  }

  protected uiStep<T>(stepName: string, fn: () => T | Promise<T>, stepConfig: StepConfig | undefined, page?: ScreenshotPage): Promise<T | undefined> {
    if (typeof fn !== 'function') throw new TypeError(`executeStep(${stepName}): functionToExecute must be a function`);
    return runStep(this.ctx, stepName, fn, stepConfig, {
      continueKey: 'continueOnStepFailure',
      page: () => {
        const p = page ?? this.currentPage();
        return p ? capture(p) : undefined;
      },
    });
  }
}
