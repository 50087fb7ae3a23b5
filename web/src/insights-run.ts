// Runs a Logs Insights query to completion: StartQuery, then GetQueryResults until it settles.
import { StartQueryCommand, GetQueryResultsCommand, StopQueryCommand, type ResultField } from '@aws-sdk/client-cloudwatch-logs';
import type { Clients } from './aws.ts';

export interface InsightsResult {
  status: string;
  fields: string[];
  rows: Record<string, string>[];
  stats?: { recordsMatched?: number; recordsScanned?: number; bytesScanned?: number };
}

export async function runInsights(c: Clients, groups: string[], query: string, start: Date, end: Date, signal?: AbortSignal): Promise<InsightsResult> {
  const { queryId } = await c.logs.send(new StartQueryCommand({
    logGroupNames: groups, queryString: query,
    startTime: Math.floor(start.getTime() / 1000), endTime: Math.ceil(end.getTime() / 1000), limit: 1000,
  }));
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    if (signal?.aborted) {
      await c.logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
      throw new DOMException('Query cancelled', 'AbortError');
    }
    const r = await c.logs.send(new GetQueryResultsCommand({ queryId }));
    if (r.status !== 'Running' && r.status !== 'Scheduled') return toResult(r.status ?? 'Unknown', r.results ?? [], r.statistics);
    await new Promise((res) => setTimeout(res, delay));
  }
}

function toResult(status: string, results: ResultField[][], stats: InsightsResult['stats']): InsightsResult {
  const fields: string[] = [];
  const rows = results.map((row) => {
    const o: Record<string, string> = {};
    for (const f of row) {
      if (!fields.includes(f.field!)) fields.push(f.field!);
      o[f.field!] = f.value ?? '';
    }
    return o;
  });
  return { status, fields, rows, stats };
}

/** A dashboard log widget's query starts with `SOURCE 'group' | …`; the API takes groups apart. */
export function splitSource(q: string): { groups: string[]; query: string } {
  const groups: string[] = [];
  let rest = q;
  for (let m; (m = /^\s*SOURCE\s+'([^']*)'\s*\|/i.exec(rest)); rest = rest.slice(m[0].length)) groups.push(m[1]);
  return { groups, query: rest.trim() };
}

/**
 * The matches-over-time histogram: the query's filtering commands (filter/parse) followed by a
 * count by time bin, as a second query — the result table may be capped, the histogram is not.
 */
export function histogramQuery(query: string, start: Date, end: Date): string {
  const keep = query.split('|').map((s) => s.trim()).filter((s) => /^(filter|parse)\b/i.test(s));
  // About 60 bars across the range, on a round bin size.
  const want = (end.getTime() - start.getTime()) / 1000 / 60;
  const bin = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 86400].find((b) => b >= want) ?? 86400;
  return [...keep, `stats count(*) as matches by bin(${bin}s)`].join(' | ');
}
