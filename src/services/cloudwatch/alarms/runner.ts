/**
 * Evaluates alarms: every alarm at least once per period (at most once a minute for standard
 * periods), and any alarm whose metric just received data within one event-loop turn of the
 * write (MetricPointStore append → kickMetric). Composite alarms re-evaluate when a child changes.
 *
 * The current, still-filling period counts when it already has data (so an alarm fires as soon as
 * the data that breaches arrives, as CloudWatch alarms do on partial periods); when it has none it
 * is left out rather than treated as missing.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { AlarmRecord, AlarmRepo, MetricAlarmRecord } from '../../../store/meta/alarms.ts';
import type { AlarmStateMachine } from './state-machine.ts';
import type { AlarmQuery } from './query.ts';
import { evaluateMetricAlarm, evaluationRange, stringifyReasonData } from './evaluation/index.ts';
import type { AlarmRule } from './evaluation/types.ts';
import { CompositeEvaluator } from './composite-evaluator.ts';
import { isBandOperator } from './evaluation/compare.ts';
import type { RootCauseFinder } from '../anomaly/root-cause.ts';

const key = (a: { account: string; region: string; name: string }) => `${a.account}\u0000${a.region}\u0000${a.name}`;

export function ruleOf(a: MetricAlarmRecord): AlarmRule {
  const c = a.config;
  const period = c.Period ?? c.Metrics?.find((m) => m.MetricStat)?.MetricStat?.Period
    ?? c.Metrics?.find((m) => m.Period)?.Period ?? 60;
  return {
    threshold: c.Threshold, comparisonOperator: c.ComparisonOperator, evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: c.DatapointsToAlarm, treatMissingData: c.TreatMissingData,
    evaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile, period,
    statistic: c.Statistic, extendedStatistic: c.ExtendedStatistic, unit: c.Unit,
  };
}

export interface AlarmRunnerDeps {
  repo: AlarmRepo;
  machine: AlarmStateMachine;
  query: AlarmQuery;
  clock: Clock;
  log: Logger;
  tickMs?: number;
  /** Names the dimension values behind a band alarm's deviation (anomaly/root-cause.ts). */
  rootCauses?: RootCauseFinder;
  /**
   * Whether this node does the time-driven evaluations (every alarm once per period): the holder of
   * the `cloudwatch.alarms` lease. Evaluations kicked by new data run on the node that received
   * the data whatever this says (the state change itself is one row-locked transition).
   */
  leader?: () => boolean;
}

export class AlarmRunner {
  private readonly due = new Set<string>();
  private readonly lastEval = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private scheduled = false;
  readonly composites: CompositeEvaluator;

  constructor(private readonly d: AlarmRunnerDeps) {
    this.composites = new CompositeEvaluator(d.repo, d.machine, d.clock, (a) => this.kickAlarm(a),
      (e, a) => d.log.warn({ err: e, alarm: a.name }, 'composite alarm wait failed'));
    d.machine.onTransition((a) => {
      this.composites.onTransition(a);
      this.composites.parentsOf(a).then((parents) => { for (const parent of parents) this.kickAlarm(parent); },
        (e: unknown) => d.log.warn({ err: e, alarm: a.name }, 'finding composite parents failed'));
    });
  }

  start(): void {
    this.timer = setInterval(() => this.schedule(), this.d.tickMs ?? 1000);
    this.timer.unref?.();
    this.composites.resumeWaits().catch((e: unknown) => this.d.log.warn({ err: e }, 'resuming composite alarm waits failed'));
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.composites.stop();
    await this.running;
  }

  /** Newly committed points (the `metrics.appended` fact): each metric they touch, once. */
  kickPoints(points: readonly { account: string; region: string; namespace: string; metricName: string }[]): void {
    const seen = new Set<string>();
    let prev: (typeof points)[number] | undefined;
    for (const p of points) {
      // A request's points are mostly one metric after another: skip the key for a repeat of the
      // previous one (the key building was 5.7 % of PutMetricData's main thread in a profile).
      if (prev && p.metricName === prev.metricName && p.namespace === prev.namespace && p.account === prev.account && p.region === prev.region) continue;
      prev = p;
      const k = `${p.account}\u0000${p.region}\u0000${p.namespace}\u0000${p.metricName}`;
      if (seen.has(k)) continue;
      seen.add(k);
      this.kickMetric(p.account, p.region, p.namespace, p.metricName);
    }
  }

  /** New data for a metric: evaluate the alarms that watch it now. */
  kickMetric(account: string, region: string, namespace: string, metricName: string): void {
    const index = this.index?.version === this.d.repo.configVersion ? this.index.map : undefined;
    // The index is current (the common case): mark the watchers due in this turn, as before.
    if (index !== undefined) return this.markWatchers(index, account, region, namespace, metricName);
    this.watchers().then((map) => this.markWatchers(map, account, region, namespace, metricName),
      (e: unknown) => this.d.log.warn({ err: e }, 'building the alarm watch index failed'));
  }

  private markWatchers(map: Map<string, Set<string>>, account: string, region: string, namespace: string, metricName: string): void {
    const keys = map.get(`${account}\u0000${region}\u0000${namespace}\u0000${metricName}`);
    const search = map.get(`${account}\u0000${region}\u0000*`);
    if (keys === undefined && search === undefined) return;
    for (const k of [...(keys ?? []), ...(search ?? [])]) this.due.add(k);
    this.schedule();
  }

  private index: { version: number; map: Map<string, Set<string>> } | undefined;

  /** Metric → alarms watching it (SEARCH-based alarms under `*`), rebuilt when any alarm changes. */
  private async watchers(): Promise<Map<string, Set<string>>> {
    const version = this.d.repo.configVersion;
    const map = new Map<string, Set<string>>();
    const add = (k: string, a: AlarmRecord) => { let s = map.get(k); if (!s) map.set(k, (s = new Set())); s.add(key(a)); };
    for (const a of await this.d.repo.all()) {
      if (a.kind !== 'MetricAlarm') continue;
      const c = a.config;
      const scope = `${a.account}\u0000${a.region}`;
      if (!c.Metrics) { add(`${scope}\u0000${c.Namespace}\u0000${c.MetricName}`, a); continue; }
      for (const m of c.Metrics) {
        if (m.MetricStat) add(`${scope}\u0000${m.MetricStat.Metric.Namespace}\u0000${m.MetricStat.Metric.MetricName}`, a);
        if (typeof m.Expression === 'string' && /SEARCH|SELECT/i.test(m.Expression)) add(`${scope}\u0000*`, a);
      }
    }
    this.index = { version, map };
    return map;
  }

  /**
   * SetAlarmState: the state holds until the alarm's next regular evaluation (a period away at
   * most a minute), as in CloudWatch — not until an evaluation that was merely queued.
   */
  deferEvaluation(a: { account: string; region: string; name: string }): void {
    this.due.delete(key(a));
    this.lastEval.set(key(a), this.d.clock.now());
  }

  kickAlarm(a: { account: string; region: string; name: string }): void {
    this.due.add(key(a));
    this.schedule();
  }

  /** Runs one evaluation pass soon; passes never overlap. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running) { this.again = true; return; }
      this.running = this.pass().finally(() => {
        this.running = undefined;
        if (this.again) { this.again = false; this.schedule(); }
      });
    });
  }

  private async pass(): Promise<void> {
    const now = this.d.clock.now();
    for (const a of await this.d.repo.all()) {
      const k = key(a);
      const interval = a.kind === 'CompositeAlarm' ? 60_000 : Math.min(ruleOf(a).period, 60) * 1000;
      const last = this.lastEval.get(k);
      if (!this.due.has(k) && (!(this.d.leader?.() ?? true) || (last !== undefined && now - last < interval))) continue;
      this.due.delete(k);
      this.lastEval.set(k, now);
      try {
        if (a.kind === 'CompositeAlarm') await this.composites.evaluate(a, now);
        else await this.evaluateMetric(a, now);
      } catch (e) {
        this.d.log.warn({ err: e, alarm: a.name }, 'alarm evaluation failed');
      }
    }
  }

  private async evaluateMetric(a: MetricAlarmRecord, now: number): Promise<void> {
    const rule = ruleOf(a);
    const periodMs = rule.period * 1000;
    // One period more than the evaluator wants, ending after the current period.
    const full = evaluationRange(rule, now + periodMs);
    const range = { start: full.start - periodMs, end: full.end, periods: full.periods + 1 };
    const points = await this.d.query(a, range, rule.period);
    const current = points[points.length - 1]!;
    const window = current.value !== null ? points.slice(1) : points.slice(0, -1);
    const fresh = await this.d.repo.get(a.account, a.region, a.name);
    // Changed while the datapoints were read (new configuration, or SetAlarmState): this result is
    // stale; the next pass evaluates the alarm as it is now.
    if (fresh === undefined || fresh.configUpdatedAt !== a.configUpdatedAt || fresh.stateUpdatedAt > now) return;
    const r = evaluateMetricAlarm(rule, window, fresh.stateValue, now);
    if (r.state === fresh.stateValue) return;
    if (r.state === 'ALARM' && isBandOperator(rule.comparisonOperator) && this.d.rootCauses) {
      const hints = await this.d.rootCauses(a, now).catch((e: unknown) => void this.d.log.warn({ err: e, alarm: a.name }, 'root-cause hints failed'));
      if (hints?.length) r.reasonData.rootCauseHints = hints;
    }
    await this.d.machine.apply(fresh, r.state, r.reason, stringifyReasonData(r.reasonData), now);
  }
}
