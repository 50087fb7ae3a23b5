/**
 * One run inside the child process: set up the family's library and module resolution, call the
 * handler, and finish exactly once — on return, on a throw, on an uncaught error, or when the
 * watchdog fires just before the server's kill — always closing the browser before the result is
 * written.
 */
import type { CanaryJob } from './job.ts';
import { libraryModules } from './library-modules.ts';
import { loadHandler } from './load-handler.ts';
import { canaryResult, decideOutcome, writeResult, writeRunArtifacts } from './finalize.ts';
import { PlaywrightSynthetics } from './playwright-synthetics.ts';
import { PuppeteerSynthetics } from './puppeteer-synthetics.ts';
import { installModuleResolution } from './resolution.ts';
import { RunContext } from './run-context.ts';
import { captureConsole } from './run-log.ts';

const CLOSE_LIMIT_MS = 5000;

/** How long before the server's kill the run stops itself to still write its report. */
export function watchdogDelay(job: Pick<CanaryJob, 'startedAt' | 'timeoutMs'>, now: number): number {
  const margin = Math.min(2000, job.timeoutMs * 0.1);
  return Math.max(job.timeoutMs - (now - Date.parse(job.startedAt)) - margin, 0);
}

export class CanaryRun {
  readonly ctx: RunContext;
  private readonly synthetics: PuppeteerSynthetics | PlaywrightSynthetics;
  private cleanup: (() => void) | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private finishing: Promise<void> | undefined;
  private readonly bornAt = Date.now();

  constructor(readonly job: CanaryJob) {
    this.ctx = new RunContext(job);
    captureConsole(this.ctx.runLog);
    this.synthetics = job.canary.family === 'playwright' ? new PlaywrightSynthetics(this.ctx) : new PuppeteerSynthetics(this.ctx);
  }

  async execute(): Promise<void> {
    const { ctx, job } = this;
    ctx.logger.info(`Start canary ${job.canary.name} (run ${job.runId}, ${job.canary.runtimeVersion})`);
    this.watchdog = setTimeout(() => void this.finish(new Error(`Canary timed out after ${job.timeoutMs / 1000} seconds`), true), watchdogDelay(job, Date.now()));
    process.on('uncaughtException', (e) => void this.finish(e, true));
    process.on('unhandledRejection', (e) => {
      if (this.finishing) return;
      ctx.logger.error('Unhandled promise rejection in the canary script', e);
      ctx.failures.push(`Unhandled promise rejection: ${e instanceof Error ? e.message : String(e)}`);
    });
    try {
      this.cleanup = installModuleResolution(libraryModules(ctx, job.canary.family, this.synthetics), job.runId);
      const handler = await loadHandler(job.handlerFile, job.handlerExport);
      ctx.logger.info('Calling customer canary');
      const response = await handler({}, this.lambdaContext());
      ctx.logger.info(`Customer canary response ${response === undefined ? '' : JSON.stringify(response) ?? ''}`);
      await this.finish(undefined, false);
    } catch (e) {
      await this.finish(e, true);
    }
  }

  /** Finishes once; later calls wait for the first. */
  finish(error: unknown, hasError: boolean): Promise<void> {
    this.finishing ??= this.doFinish(error, hasError);
    return this.finishing;
  }

  private async doFinish(error: unknown, hasError: boolean): Promise<void> {
    const { ctx } = this;
    clearTimeout(this.watchdog);
    if (hasError) ctx.logger.error('Canary failed:', error instanceof Error ? (error.stack ?? error.message) : String(error));
    await Promise.race([this.synthetics.close(), new Promise((r) => setTimeout(r, CLOSE_LIMIT_MS).unref())]).catch(() => undefined);
    const endTime = new Date().toISOString();
    const outcome = decideOutcome(ctx, error, hasError);
    ctx.logger.info(`Canary run ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`);
    try {
      writeRunArtifacts(ctx, outcome, endTime, this.bornAt - Date.parse(this.job.startedAt));
    } catch (e) {
      ctx.logger.error('Writing the run artifacts failed', e);
    }
    this.cleanup?.();
    writeResult(this.job.resultFile, canaryResult(ctx, outcome, endTime));
    process.exit(0);
  }

  /** The (event, context) pair a Lambda handler gets; the context carries what scripts read from it. */
  private lambdaContext(): Record<string, unknown> {
    const deadline = Date.parse(this.job.startedAt) + this.job.timeoutMs;
    return {
      functionName: `cwsyn-${this.job.canary.name}-${this.job.canary.id}`,
      awsRequestId: this.job.runId,
      getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    };
  }
}
