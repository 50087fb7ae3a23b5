/**
 * BrokenLinkCheckerReport (`require('BrokenLinkCheckerReport')`): collects SyntheticsLinks, each
 * broken by AWS's rule (no status code, or 400+) unless the caller says otherwise; handed to
 * `synthetics.addReport()` it becomes `BrokenLinkCheckerReport.json` and part of the run report.
 */
import { SyntheticsLink } from './link.ts';

export class BrokenLinkCheckerReport {
  private readonly links: { link: SyntheticsLink; broken: boolean }[] = [];

  addLink(syntheticsLink: SyntheticsLink, isBroken?: boolean): void {
    if (!(syntheticsLink instanceof SyntheticsLink)) throw new TypeError('addLink expects a SyntheticsLink');
    this.links.push({ link: syntheticsLink, broken: typeof isBroken === 'boolean' ? isBroken : syntheticsLink.isBrokenByStatus() });
  }

  getLinks(): SyntheticsLink[] {
    return this.links.map((l) => l.link);
  }

  getTotalBrokenLinks(): number {
    return this.links.filter((l) => l.broken).length;
  }

  getTotalLinksChecked(): number {
    return this.links.length;
  }

  /** The name addReport files it under (`<name>.json`). */
  getReportName(): string {
    return 'BrokenLinkCheckerReport';
  }

  toJSON(): Record<string, unknown> {
    return {
      totalLinksChecked: this.getTotalLinksChecked(),
      totalBrokenLinks: this.getTotalBrokenLinks(),
      links: this.links.map((l) => ({ ...l.link.toJSON(), isBroken: l.broken })),
    };
  }
}
