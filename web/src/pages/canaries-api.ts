// Synthetics helpers shared by the Canaries page's parts: the client (made on first use from the
// session's config, so other pages don't carry it), the success sparklines from CloudWatch, the
// canary's log group, and the run artifacts read from Osprey's signed artifact route.
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SyntheticsClient } from '@aws-sdk/client-synthetics';
import { useSession } from '../app-context.ts';
import type { ClientConfig, Clients } from '../aws.ts';
import { signedGet } from '../signed-fetch.ts';

const made = new WeakMap<Clients, SyntheticsClient>();

/** The Synthetics client of the signed-in session. */
export function useSynthetics(): SyntheticsClient {
  const c = useSession();
  let s = made.get(c);
  if (!s) made.set(c, (s = new SyntheticsClient(c.config)));
  return s;
}

/** Where a canary's runs log, as Lambda names it for AWS's canaries. */
export const canaryLogGroup = (name: string, id: string): string => `/aws/lambda/cwsyn-${name}-${id}`;

/** The account in an ARN (a canary's EngineArn: arn:aws:lambda:<region>:<account>:function:…). */
export const accountOf = (arn: string | undefined): string | undefined => arn?.split(':')[4] || undefined;

export const SPARK_HOURS = 3;

/**
 * SuccessPercent per canary over the last hours (5-minute averages), from the metrics each run
 * publishes, in one GetMetricData call per 500 canaries.
 */
export async function successSeries(c: Clients, names: string[], now = Date.now()): Promise<Map<string, [number, number][]>> {
  const out = new Map<string, [number, number][]>();
  for (let i = 0; i < names.length; i += 500) {
    const batch = names.slice(i, i + 500);
    const r = await c.cw.send(new GetMetricDataCommand({
      StartTime: new Date(now - SPARK_HOURS * 3_600_000), EndTime: new Date(now), ScanBy: 'TimestampAscending',
      MetricDataQueries: batch.map((name, j) => ({
        Id: `s${j}`,
        MetricStat: { Metric: { Namespace: 'CloudWatchSynthetics', MetricName: 'SuccessPercent', Dimensions: [{ Name: 'CanaryName', Value: name }] }, Period: 300, Stat: 'Average' },
      })),
    }));
    batch.forEach((name, j) => {
      const res = r.MetricDataResults?.find((x) => x.Id === `s${j}`);
      out.set(name, (res?.Timestamps ?? []).map((t, k): [number, number] => [t.getTime(), res!.Values![k]!]));
    });
  }
  return out;
}

const artifactPath = (canary: string, runId: string, file?: string): string[] =>
  ['_osprey', 'synthetics', 'artifacts', canary, runId, ...(file === undefined ? [''] : file.split('/'))];

/** The file names one run wrote (screenshots, report, HAR, log…). */
export async function listArtifacts(config: ClientConfig, canary: string, runId: string): Promise<string[]> {
  const res = await signedGet(config, 'synthetics', artifactPath(canary, runId));
  return ((await res.json()) as { artifacts?: string[] }).artifacts ?? [];
}

export async function artifactBlob(config: ClientConfig, canary: string, runId: string, file: string): Promise<Blob> {
  return (await signedGet(config, 'synthetics', artifactPath(canary, runId, file))).blob();
}

export async function artifactText(config: ClientConfig, canary: string, runId: string, file: string): Promise<string> {
  return (await signedGet(config, 'synthetics', artifactPath(canary, runId, file))).text();
}

/** "1 min 5 s", "850 ms": a run's or step's duration. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
