/**
 * executeStep's semantics, shared by both families and by executeHttpStep: log the start, take the
 * start screenshot, run the function, record PASSED/FAILED with the failure reason, take the
 * success/failure screenshot, and rethrow the failure unless the step config says to continue.
 */
import type { RunContext, StepRecord } from './run-context.ts';
import { takeScreenshot, type PageCapture } from './screenshots.ts';

export interface StepOptions {
  /** The page the step's screenshots are taken of; none for HTTP steps or before any page exists. */
  page?: () => PageCapture | undefined;
  /** Which option decides whether a failure stops the script. */
  continueKey: 'continueOnStepFailure' | 'continueOnHttpStepFailure';
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
}

async function shoot(ctx: RunContext, opts: StepOptions, wanted: boolean, stepName: string, suffix: string): Promise<void> {
  const page = wanted ? opts.page?.() : undefined;
  if (page) await takeScreenshot(ctx, page, stepName, suffix);
}

function endStep(ctx: RunContext, rec: StepRecord, opts: StepOptions): void {
  rec.endTime = new Date().toISOString();
  const url = opts.page?.()?.url();
  if (url) rec.destinationUrl = ctx.sanitizeUrl(url);
}

export async function runStep<T>(
  ctx: RunContext,
  stepName: string,
  fn: () => T | Promise<T>,
  stepConfig: Partial<Record<string, unknown>> | undefined,
  opts: StepOptions,
): Promise<T | undefined> {
  const cfg = ctx.config.merged(stepConfig);
  const rec = ctx.startStep(String(stepName));
  const source = opts.page?.()?.url();
  if (source) rec.sourceUrl = ctx.sanitizeUrl(source);
  ctx.logger.info(`Executing step: ${rec.stepName}`);
  await shoot(ctx, opts, cfg.screenshotOnStepStart, rec.stepName, 'starting');
  try {
    const result = await fn();
    // A visual variance found by a screenshot inside the step has already failed it.
    if (rec.status === 'RUNNING') rec.status = 'PASSED';
    endStep(ctx, rec, opts);
    ctx.logger.info(`Step ${rec.stepName} ${rec.status === 'PASSED' ? 'passed' : 'failed'}`);
    await shoot(ctx, opts, cfg.screenshotOnStepSuccess, rec.stepName, 'succeeded');
    return result;
  } catch (e) {
    rec.status = 'FAILED';
    rec.failureReason = ctx.logHelper.getSanitizedErrorMessage(errorMessage(e));
    endStep(ctx, rec, opts);
    ctx.logger.error(`Step ${rec.stepName} failed: ${rec.failureReason}`, e instanceof Error ? e.stack : undefined);
    await shoot(ctx, opts, cfg.screenshotOnStepFailure, rec.stepName, 'failed');
    if (!cfg[opts.continueKey]) throw e;
    return undefined;
  }
}
