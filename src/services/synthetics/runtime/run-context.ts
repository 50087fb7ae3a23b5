/**
 * Everything one run accumulates, shared by both runtime families: the job, its log, the
 * configuration, step records, request counts, the network recording, visual outcomes, custom
 * reports and the list of artifact files written.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyntheticsConfiguration } from './config.ts';
import { HarRecorder } from './har.ts';
import type { CanaryJob } from './job.ts';
import { SyntheticsLogHelper } from './log-helper.ts';
import { SyntheticsLogger } from './logger.ts';
import { RequestCounter } from './requests.ts';
import { logFileName, RunLog } from './run-log.ts';

export interface ScreenshotRecord {
  fileName: string;
  pageUrl?: string;
  error?: string;
}

export interface StepRecord {
  stepNum: number;
  stepName: string;
  status: 'RUNNING' | 'PASSED' | 'FAILED';
  failureReason?: string;
  startTime: string;
  endTime?: string;
  sourceUrl?: string;
  destinationUrl?: string;
  screenshots: ScreenshotRecord[];
}

/** A report script code hands to `synthetics.addReport()` (BrokenLinkCheckerReport or its like). */
export interface CustomReport {
  name: string;
  content: unknown;
}

export class RunContext {
  readonly runLog: RunLog;
  readonly logger: SyntheticsLogger;
  readonly config = new SyntheticsConfiguration();
  readonly logHelper: SyntheticsLogHelper;
  readonly counter = new RequestCounter();
  readonly har = new HarRecorder();
  readonly steps: StepRecord[] = [];
  readonly artifacts = new Set<string>();
  readonly executionErrors: string[] = [];
  /** Reasons that fail the run without an exception (a visual variance over the threshold). */
  readonly failures: string[] = [];
  readonly customReports: CustomReport[] = [];
  /** HttpRequestsReport entries from executeHttpStep. */
  readonly httpRequests: unknown[] = [];
  readonly visual = { compared: 0, failed: 0 };
  /** When the browser launch(es) took, for the report's timeSpentInLaunchInMs. */
  launchMs = 0;

  constructor(readonly job: CanaryJob) {
    const logName = logFileName(job.startedAt);
    this.runLog = new RunLog(join(job.artifactDir, logName));
    this.artifacts.add(logName);
    this.logger = new SyntheticsLogger(this.runLog);
    this.logHelper = new SyntheticsLogHelper(this.config);
  }

  writeArtifact(name: string, data: string | Uint8Array): string {
    const path = join(this.job.artifactDir, name);
    writeFileSync(path, data);
    this.artifacts.add(name);
    return path;
  }

  /** The canary's user-agent suffix, as AWS adds it to every page request. */
  userAgentString(): string {
    return `CloudWatchSynthetics/${this.job.canary.arn}`;
  }

  startStep(stepName: string): StepRecord {
    const rec: StepRecord = {
      stepNum: this.steps.length + 1,
      stepName,
      status: 'RUNNING',
      startTime: new Date().toISOString(),
      screenshots: [],
    };
    this.steps.push(rec);
    return rec;
  }

  /** The latest step of that name (screenshots taken with a step's name are linked to it). */
  findStep(stepName: string): StepRecord | undefined {
    return this.steps.findLast((s) => s.stepName === stepName);
  }

  sanitizeUrl(url: string): string {
    try {
      return this.logHelper.getSanitizedUrl(url);
    } catch {
      return url;
    }
  }
}
