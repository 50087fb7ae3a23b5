/**
 * Which module names a run's script can require/import, per runtime family, and what each gives —
 * AWS's classic names (`Synthetics`, `SyntheticsLogger`, …), the `@aws/synthetics-*` names of the
 * newer puppeteer runtimes, and `@amzn/synthetics-playwright` (`@aws/synthetics-playwright` from
 * syn-nodejs-playwright-5.1) for the playwright family.
 */
import { BrokenLinkCheckerReport } from './broken-link-report.ts';
import type { RuntimeFamily } from './job.ts';
import { SyntheticsLink } from './link.ts';
import type { ModuleEntry } from './resolution.ts';
import type { RunContext } from './run-context.ts';

export function libraryModules(ctx: RunContext, family: RuntimeFamily, synthetics: object): Record<string, ModuleEntry> {
  const logger: ModuleEntry = { value: ctx.logger, named: { logger: ctx.logger, syntheticsLogger: ctx.logger } };
  const link: ModuleEntry = { value: SyntheticsLink, named: { SyntheticsLink } };
  const report: ModuleEntry = { value: BrokenLinkCheckerReport, named: { BrokenLinkCheckerReport } };
  const logHelper: ModuleEntry = { value: ctx.logHelper, named: { syntheticsLogHelper: ctx.logHelper, SyntheticsLogHelper: ctx.logHelper } };
  const common: Record<string, ModuleEntry> = {
    SyntheticsLogger: logger,
    '@aws/synthetics-logger': logger,
    SyntheticsLink: link,
    '@aws/synthetics-link': link,
    BrokenLinkCheckerReport: report,
    '@aws/synthetics-broken-link-checker-report': report,
    SyntheticsLogHelper: logHelper,
    '@aws/synthetics-log-helper': logHelper,
  };
  if (family === 'playwright') {
    const lib = { synthetics, logger: ctx.logger };
    // syn-nodejs-playwright-5.1 renamed the module; both names keep working there.
    const entry: ModuleEntry = { value: lib, named: lib };
    return { ...common, '@amzn/synthetics-playwright': entry, '@aws/synthetics-playwright': entry };
  }
  const entry: ModuleEntry = { value: synthetics, named: { synthetics } };
  return { ...common, Synthetics: entry, '@aws/synthetics-puppeteer': entry };
}
