/**
 * Counts the responses a run received by status class — the numbers behind AWS's 2xx/4xx/5xx and
 * Failed requests metrics; `failed` is a request that got no response at all.
 */
export interface RequestCounts {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  failed: number;
}

export class RequestCounter {
  readonly counts: RequestCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };

  response(status: number): void {
    if (status >= 200 && status < 300) this.counts['2xx']++;
    else if (status >= 300 && status < 400) this.counts['3xx']++;
    else if (status >= 400 && status < 500) this.counts['4xx']++;
    else if (status >= 500 && status < 600) this.counts['5xx']++;
  }

  failure(): void {
    this.counts.failed++;
  }
}
