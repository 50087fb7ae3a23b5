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
import type { AlarmRecord, SqliteAlarmRepo } from '../../../store/meta/alarms.ts';
import type { AlarmStateMachine } from './state-machine.ts';
import type { AlarmQuery } from './query.ts';
import { evaluateMetricAlarm, evaluationRange, stringifyReasonData } from './evaluation/index.ts';
import type { AlarmRule } from './evaluation/types.ts';
import { CompositeEvaluator } from './composite-evaluator.ts';

const key = (a: { account: string; region: string; name: string }) => `${a.account}\u0000${a.region}\u0000${a.name}`;

export function ruleOf(a: AlarmRecord): AlarmRule {
  const c = a.config as Record<string, any>;
  const period = c.Period ?? (c.Metrics as any[] | undefined)?.find((m) => m.MetricStat)?.MetricStat.Period
    ?? (c.Metrics as any[] | undefined)?.find((m) => m.Period)?.Period ?? 60;
  return {
    threshold: c.Threshold, comparisonOperator: c.ComparisonOperator, evaluationPeriods: c.EvaluationPeriods,
    datapointsToAlarm: c.DatapointsToAlarm, treatMissingData: c.TreatMissingData,
    evaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile, period,
    statistic: c.Statistic, extendedStatistic: c.ExtendedStatistic, unit: c.Unit,
  };
}

export interface AlarmRunnerDeps {
  repo: SqliteAlarmRepo;
  machine: AlarmStateMachine;
  query: AlarmQuery;
  clock: Clock;
  log: Logger;
  tickMs?: number;
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
    this.composites = new CompositeEvaluator(d.repo, d.machine, d.clock, (a) => this.kickAlarm(a));
    d.machine.onTransition((a) => {
      for (const parent of this.composites.parentsOf(a)) this.kickAlarm(parent);
      this.composites.onTransition(a);
    });
  }

  start(): void {
    this.timer = setInterval(() => this.schedule(), this.d.tickMs ?? 1000);
    this.timer.unref?.();
    this.composites.resumeWaits();
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.composites.stop();
    await this.running;
  }

  /** New data for a metric: evaluate the alarms that watch it now. */
  kickMetric(account: string, region: string, namespace: string, metricName: string): void {
    let hit = false;
    for (const a of this.d.repo.all()) {
      if (a.account !== account || a.region !== region || a.kind !== 'MetricAlarm') continue;
      const c = a.config as Record<string, any>;
      const watches = c.Metrics
        ? (c.Metrics as any[]).some((m) => (m.MetricStat?.Metric.Namespace === namespace && m.MetricStat?.Metric.MetricName === metricName)
          || (typeof m.Expression === 'string' && m.Expression.includes('SEARCH')))
        : c.Namespace === namespace && c.MetricName === metricName;
      if (watches) { this.due.add(key(a)); hit = true; }
    }
    if (hit) this.schedule();
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
    for (const a of this.d.repo.all()) {
      const k = key(a);
      const interval = a.kind === 'CompositeAlarm' ? 60_000 : Math.min(ruleOf(a).period, 60) * 1000;
      const last = this.lastEval.get(k);
      if (!this.due.has(k) && last !== undefined && now - last < interval) continue;
      this.due.delete(k);
      this.lastEval.set(k, now);
      try {
        if (a.kind === 'CompositeAlarm') this.composites.evaluate(a, now);
        else await this.evaluateMetric(a, now);
      } catch (e) {
        this.d.log.warn({ err: e, alarm: a.name }, 'alarm evaluation failed');
      }
    }
  }

  private async evaluateMetric(a: AlarmRecord, now: number): Promise<void> {
    const rule = ruleOf(a);
    const periodMs = rule.period * 1000;
    // One period more than the evaluator wants, ending after the current period.
    const full = evaluationRange(rule, now + periodMs);
    const range = { start: full.start - periodMs, end: full.end, periods: full.periods + 1 };
    const points = await this.d.query(a, range, rule.period);
    const current = points[points.length - 1]!;
    const window = current.value !== null ? points.slice(1) : points.slice(0, -1);
    const fresh = this.d.repo.get(a.account, a.region, a.name);
    if (fresh === undefined || fresh.configUpdatedAt !== a.configUpdatedAt) return; // changed meanwhile; re-evaluated next pass
    const r = evaluateMetricAlarm(rule, window, fresh.stateValue, now);
    if (r.state === fresh.stateValue) return;
    this.d.machine.apply(fresh, r.state, r.reason, stringifyReasonData(r.reasonData), now);
  }
}
