/**
 * Screenshots named as AWS names them — `<NN>-<stepName>-<suffix>.png`, NN being the number of the
 * step of that name (or the next number when no step has it) — written to the artifact dir, linked
 * to their step, and compared with the base run when visual monitoring is on.
 */
import type { RunContext, ScreenshotRecord } from './run-context.ts';
import { compareWithBase } from './visual.ts';

/** Keeps a name usable as a file name on every platform and as an S3 key. */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 120) || 'screenshot';
}

export function screenshotFileName(stepNum: number, stepName: string, suffix?: string): string {
  const nn = String(stepNum).padStart(2, '0');
  return `${nn}-${safeName(stepName)}${suffix ? `-${safeName(suffix)}` : ''}.png`;
}

/** What one family provides to capture the current page. */
export interface PageCapture {
  png(): Promise<Uint8Array>;
  url(): string;
}

/** The ScreenshotResult AWS documents ({fileName, pageUrl, error}); also linked to the step. */
export async function takeScreenshot(ctx: RunContext, page: PageCapture, stepName: string, suffix?: string): Promise<ScreenshotRecord> {
  const step = ctx.findStep(stepName);
  const fileName = screenshotFileName(step?.stepNum ?? ctx.steps.length + 1, stepName, suffix);
  const record: ScreenshotRecord = { fileName, pageUrl: ctx.sanitizeUrl(page.url()) };
  try {
    const png = Buffer.from(await page.png());
    ctx.writeArtifact(fileName, png);
    ctx.logger.info(`Captured screenshot ${fileName}`);
    await compareVisual(ctx, fileName, png, stepName);
  } catch (e) {
    record.error = e instanceof Error ? e.message : String(e);
    ctx.logger.warn(`Unable to capture screenshot ${fileName}: ${record.error}`);
  }
  step?.screenshots.push(record);
  return record;
}

async function compareVisual(ctx: RunContext, fileName: string, png: Buffer, stepName: string): Promise<void> {
  const visual = ctx.job.visual;
  if (!visual || !ctx.config.get('visualCompareWithBaseRun')) return;
  const base = visual.screenshots.find((s) => s.name === fileName || s.name === fileName.replace(/\.png$/, ''));
  const result = await compareWithBase({
    png,
    fileName,
    baseArtifactDir: visual.baseArtifactDir,
    ignoreCoordinates: base?.ignoreCoordinates ?? [],
    thresholdPercent: Number(ctx.config.get('visualVarianceThresholdPercentage')),
    highlightHex: String(ctx.config.get('visualVarianceHighlightHexColor')),
  });
  if (!result.compared) {
    ctx.logger.info(result.message);
    return;
  }
  ctx.visual.compared++;
  if (result.diffPng) ctx.writeArtifact(fileName.replace(/\.png$/, '-diff.png'), result.diffPng);
  if (!result.failed) {
    ctx.logger.info(result.message);
    return;
  }
  ctx.visual.failed++;
  ctx.logger.error(result.message);
  if (!ctx.config.get('failCanaryRunOnVisualVariance')) return;
  ctx.failures.push(result.message);
  const step = ctx.findStep(stepName);
  if (step) {
    step.status = 'FAILED';
    step.failureReason ??= result.message;
  }
}
