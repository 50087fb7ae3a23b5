/**
 * The end of a run: decide PASSED/FAILED, write the HAR (+ its HTML report), the HTTP requests
 * report and the SyntheticsReport, then — last — the CanaryResult the server reads (written aside
 * and renamed, so the server never reads half a file).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { harHtml } from './har-html.ts';
import type { CanaryResult } from './job.ts';
import { finalStepStatus, reportFileName, syntheticsReport } from './report.ts';
import type { RunContext } from './run-context.ts';
import { errorMessage } from './steps.ts';

export const HAR_FILE = 'results.har';
export const HAR_HTML_FILE = 'results.har.html';
export const HTTP_REPORT_FILE = 'HttpRequestsReport.json';
const RUNTIME_VERSION = '1.0';

export interface Outcome {
  status: 'PASSED' | 'FAILED';
  reason?: string;
}

/** FAILED when the handler threw, a step failed, a visual variance failed the run, or an execution error was added. */
export function decideOutcome(ctx: RunContext, handlerError: unknown, hasError: boolean): Outcome {
  if (hasError) return { status: 'FAILED', reason: ctx.logHelper.getSanitizedErrorMessage(errorMessage(handlerError)) || 'The canary script failed' };
  const step = ctx.steps.find((s) => finalStepStatus(s) === 'FAILED');
  if (step) return { status: 'FAILED', reason: step.failureReason ?? `Step ${step.stepName} did not finish` };
  const other = ctx.failures[0] ?? ctx.executionErrors[0];
  return other ? { status: 'FAILED', reason: other } : { status: 'PASSED' };
}

function writeHar(ctx: RunContext): void {
  if (!ctx.config.get('harFile') || ctx.har.entryCount === 0) return;
  const har = ctx.har.toHar({ url: (u) => ctx.sanitizeUrl(u), headers: (h) => ctx.logHelper.getSanitizedHeaders(h) }, RUNTIME_VERSION);
  ctx.writeArtifact(HAR_FILE, JSON.stringify(har));
  ctx.writeArtifact(HAR_HTML_FILE, harHtml(har, `${ctx.job.canary.name} ${ctx.job.startedAt}`));
}

export function writeRunArtifacts(ctx: RunContext, outcome: Outcome, endTime: string, setupMs: number): void {
  try {
    writeHar(ctx);
  } catch (e) {
    ctx.logger.error('Writing the HAR failed', e);
  }
  if (ctx.httpRequests.length > 0) ctx.writeArtifact(HTTP_REPORT_FILE, JSON.stringify({ requests: ctx.httpRequests }, null, 2));
  const report = syntheticsReport({
    canaryName: ctx.job.canary.name,
    startTime: ctx.job.startedAt,
    endTime,
    status: outcome.status,
    failureReason: outcome.reason,
    // stepsReport off keeps the step summary out of the report, not the report itself.
    steps: ctx.config.get('stepsReport') ? ctx.steps : [],
    requests: ctx.counter.counts,
    executionErrors: ctx.executionErrors,
    customReports: ctx.customReports,
    launchMs: ctx.launchMs,
    setupMs,
    visual: ctx.visual.compared > 0 ? ctx.visual : undefined,
  });
  ctx.writeArtifact(reportFileName(outcome.status), JSON.stringify(report, null, 2));
}

export function canaryResult(ctx: RunContext, outcome: Outcome, endTime: string): CanaryResult {
  const { counts } = ctx.counter;
  return {
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason.slice(0, 1024) } : {}),
    startTime: ctx.job.startedAt,
    endTime,
    steps: ctx.steps.map((s) => ({
      stepName: s.stepName,
      status: finalStepStatus(s),
      ...(finalStepStatus(s) === 'FAILED' ? { failureReason: s.failureReason ?? 'The step did not finish' } : {}),
      startTime: s.startTime,
      endTime: s.endTime ?? endTime,
      screenshots: s.screenshots.filter((x) => !x.error).map((x) => x.fileName),
    })),
    requests: { '2xx': counts['2xx'], '4xx': counts['4xx'], '5xx': counts['5xx'], failed: counts.failed },
    ...(ctx.job.visual ? { visual: { ...ctx.visual } } : {}),
    artifacts: [...ctx.artifacts].sort(),
    metricOptions: metricOptions(ctx),
  };
}

function metricOptions(ctx: RunContext): Record<string, boolean> {
  const values = ctx.config.merged();
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => k.endsWith('Metric') && typeof v === 'boolean')) as Record<string, boolean>;
}

export function writeResult(resultFile: string, result: CanaryResult): void {
  const tmp = `${resultFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result, null, 2));
  renameSync(tmp, resultFile);
}
