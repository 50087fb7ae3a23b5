/**
 * The run report, `SyntheticsReport-PASSED.json` / `SyntheticsReport-FAILED.json`, in the shape
 * AWS's reports have: canaryName, start/end, execution status/error, time spent launching, and the
 * customerScript section with the script's status, failure reason, request counts by class and
 * the steps (number, name, status, failure reason, times, URLs, screenshots). Custom reports
 * (BrokenLinkCheckerReport) and the visual monitoring outcome ride along.
 */
import type { RequestCounts } from './requests.ts';
import type { CustomReport, StepRecord } from './run-context.ts';

export interface ReportInput {
  canaryName: string;
  startTime: string;
  endTime: string;
  status: 'PASSED' | 'FAILED';
  failureReason?: string;
  steps: readonly StepRecord[];
  requests: RequestCounts;
  executionErrors: readonly string[];
  customReports: readonly CustomReport[];
  launchMs: number;
  setupMs: number;
  visual?: { compared: number; failed: number };
}

export function reportFileName(status: 'PASSED' | 'FAILED'): string {
  return `SyntheticsReport-${status}.json`;
}

/** A step still RUNNING when the report is written (the script died mid-step) counts as failed. */
export function finalStepStatus(step: StepRecord): 'PASSED' | 'FAILED' {
  return step.status === 'PASSED' ? 'PASSED' : 'FAILED';
}

export function syntheticsReport(input: ReportInput): Record<string, unknown> {
  const { requests } = input;
  return {
    canaryName: input.canaryName,
    startTime: input.startTime,
    endTime: input.endTime,
    executionStatus: input.executionErrors.length > 0 ? 'FAILED' : 'PASSED',
    ...(input.executionErrors.length > 0 ? { executionError: input.executionErrors.join('; ') } : {}),
    timeSpentInLaunchInMs: input.launchMs,
    timeSpentInResetInMs: 0,
    timeSpentInSetupInMs: input.setupMs,
    customerScript: {
      status: input.status,
      ...(input.failureReason ? { failureReason: input.failureReason } : {}),
      startTime: input.startTime,
      endTime: input.endTime,
      requests: { _2xx: requests['2xx'], _3xx: requests['3xx'], _4xx: requests['4xx'], _5xx: requests['5xx'], failed: requests.failed },
      steps: input.steps.map((s) => ({
        stepNum: s.stepNum,
        stepName: s.stepName,
        status: finalStepStatus(s),
        ...(finalStepStatus(s) === 'FAILED' ? { failureReason: s.failureReason ?? 'The step did not finish' } : {}),
        startTime: s.startTime,
        endTime: s.endTime ?? input.endTime,
        sourceUrl: s.sourceUrl ?? '',
        destinationUrl: s.destinationUrl ?? '',
        screenshots: s.screenshots,
      })),
    },
    ...(input.customReports.length > 0 ? { customReports: Object.fromEntries(input.customReports.map((r) => [r.name, r.content])) } : {}),
    ...(input.visual ? { visualMonitoring: input.visual } : {}),
  };
}
