/**
 * SyntheticsLink (`require('SyntheticsLink')`, `@aws/synthetics-link`): one link checked by a
 * broken-link canary — URL, anchor text, parent page, status, failure reason and the screenshots
 * taken for it — with the builder methods AWS documents.
 */
interface ScreenshotResultLike {
  fileName?: string;
  pageUrl?: string;
  error?: string;
}

export class SyntheticsLink {
  private url: string;
  private text = '';
  private parentUrl = '';
  private statusCode: string | undefined;
  private statusText = '';
  private failureReason = '';
  private readonly screenshots: ScreenshotResultLike[] = [];

  constructor(url: string) {
    this.url = String(url);
  }

  withUrl(url: string): this {
    this.url = String(url);
    return this;
  }
  withText(text: string): this {
    this.text = String(text ?? '').trim();
    return this;
  }
  withParentUrl(parentUrl: string): this {
    this.parentUrl = String(parentUrl);
    return this;
  }
  withStatusCode(statusCode: string | number): this {
    this.statusCode = statusCode === undefined || statusCode === null ? undefined : String(statusCode);
    return this;
  }
  withStatusText(statusText: string): this {
    this.statusText = String(statusText ?? '');
    return this;
  }
  /** Accepts a string or an Error (AWS's own blueprint passes the caught exception). */
  withFailureReason(failureReason: unknown): this {
    this.failureReason = failureReason instanceof Error ? failureReason.message : String(failureReason ?? '');
    return this;
  }
  addScreenshotResult(screenshotResult: ScreenshotResultLike | undefined): this {
    if (screenshotResult) this.screenshots.push({ ...screenshotResult });
    return this;
  }

  getUrl(): string {
    return this.url;
  }
  getText(): string {
    return this.text;
  }
  getParentUrl(): string {
    return this.parentUrl;
  }
  getStatusCode(): string | undefined {
    return this.statusCode;
  }
  getStatusText(): string {
    return this.statusText;
  }
  getFailureReason(): string {
    return this.failureReason;
  }
  getScreenshotResult(): ScreenshotResultLike[] {
    return [...this.screenshots];
  }

  /** AWS's default rule: broken when there is no status code or it is 400 or higher. */
  isBrokenByStatus(): boolean {
    const code = Number(this.statusCode);
    return this.statusCode === undefined || this.statusCode === '' || !Number.isFinite(code) || code >= 400;
  }

  toJSON(): Record<string, unknown> {
    return {
      url: this.url,
      text: this.text,
      parentUrl: this.parentUrl,
      statusCode: this.statusCode ?? '',
      statusText: this.statusText,
      failureReason: this.failureReason,
      screenshots: this.screenshots,
    };
  }
}
