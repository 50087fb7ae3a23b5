/**
 * The trained models behind ANOMALY_DETECTION_BAND and band alarms. A model is fitted per detector
 * and period from the last two weeks of the metric (through an injected query, Prometheus-style,
 * so this file never sees storage), kept in the metadata store and in memory, and refitted in the background
 * once it is older than `retrainMs` — so bands follow the data as it arrives, and a restart answers
 * with the model it had.
 *
 * Using a band on a metric without a detector creates one (as alarms on a band and the console's
 * "enable anomaly detection" do in CloudWatch).
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { MetaChanges } from '../../../store/meta/changes.ts';
import { detectorKey, type DetectorConfig, type DetectorMetric } from './detector.ts';
import { trainModel, type AnomalyModel, type TrainingPoint } from './model.ts';
import type { DetectorRecord, ModelRecord, Scope, AnomalyStore } from './repo.ts';

export const TRAINING_WINDOW_MS = 14 * 86_400_000;
/** At most this many datapoints per fit: a 10-second metric trains on its last ~56 hours. */
const MAX_TRAINING_POINTS = 20_160;
const UNTRAINED_RETRY_MS = 60_000;

export type TrainingQuery = (scope: Scope, metric: DetectorMetric, range: { start: number; end: number; period: number }) => Promise<TrainingPoint[]>;

export type DetectorState = 'PENDING_TRAINING' | 'TRAINED_INSUFFICIENT_DATA' | 'TRAINED';

export interface AnomalyModelsOptions {
  repo: AnomalyStore;
  query: TrainingQuery;
  clock: Clock;
  log: Logger;
  /** Refit a model once it is this old (ms). */
  retrainMs: number;
  /** Detector and model changes on other nodes sharing the store drop the models cached here. */
  changes?: MetaChanges;
}

/** The "a detector or its models changed" signal (store/meta/changes.ts); key: [account, region, detector key]. */
export const ANOMALY_MODELS_TOPIC = 'cloudwatch.anomaly-models';

const cacheKey = (s: Scope, key: string, period: number) => `${s.account}\u0000${s.region}\u0000${period}\u0000${key}`;

export class AnomalyModels {
  private readonly cache = new Map<string, ModelRecord>();
  private readonly training = new Map<string, Promise<ModelRecord>>();
  /** Bumped by every drop: a model read before a drop is used but not cached (it may be stale). */
  private generation = 0;

  constructor(private readonly o: AnomalyModelsOptions) {
    o.changes?.subscribe(ANOMALY_MODELS_TOPIC, (key) => {
      const k = key === undefined ? undefined : (JSON.parse(key) as [string, string, string]);
      if (k === undefined) this.dropAll();
      else this.forget({ account: k[0], region: k[1] }, k[2]);
    });
  }

  /** The detector for this metric, created with the default configuration if there is none. */
  async ensure(scope: Scope, metric: DetectorMetric): Promise<DetectorRecord> {
    const key = detectorKey(metric);
    const found = await this.o.repo.get(scope, key);
    if (found) return found;
    const created: DetectorRecord = { key, metric, config: { excluded: [] }, createdAt: this.o.clock.now() };
    await this.o.repo.put(scope, created);
    return created;
  }

  async put(scope: Scope, metric: DetectorMetric, config: DetectorConfig): Promise<void> {
    const key = detectorKey(metric);
    const createdAt = (await this.o.repo.get(scope, key))?.createdAt ?? this.o.clock.now();
    await this.o.repo.put(scope, { key, metric, config, createdAt });
    await this.changed(scope, key);
  }

  async delete(scope: Scope, metric: DetectorMetric): Promise<boolean> {
    const key = detectorKey(metric);
    this.forget(scope, key);
    const deleted = await this.o.repo.delete(scope, key);
    await this.changed(scope, key);
    return deleted;
  }

  /** The model for a band at `period` seconds; trains it first when there is none yet. */
  async modelFor(scope: Scope, metric: DetectorMetric, period: number): Promise<AnomalyModel | undefined> {
    const det = await this.ensure(scope, metric);
    const ck = cacheKey(scope, det.key, period);
    const generation = this.generation;
    let rec = this.cache.get(ck) ?? await this.o.repo.model(scope, det.key, period);
    // Too little history a minute ago may be enough now (a backfill): try again, not after 15 minutes.
    if (rec === undefined || (rec.model === undefined && this.o.clock.now() - rec.trainedAt > UNTRAINED_RETRY_MS)) rec = await this.train(scope, det, period);
    else if (generation === this.generation) this.cache.set(ck, rec);
    return rec.model;
  }

  async state(scope: Scope, key: string): Promise<DetectorState> {
    const models = await this.o.repo.models(scope, key);
    if (models.length === 0) return 'PENDING_TRAINING';
    return models.some((m) => m.model) ? 'TRAINED' : 'TRAINED_INSUFFICIENT_DATA';
  }

  /**
   * Refits the models older than `retrainMs`, oldest first, a few at a time (a fit is mostly
   * waiting on its two-week read); returns how many were refitted.
   */
  async refresh(limit = 5000, width = 4): Promise<number> {
    const stale = await this.o.repo.stale(this.o.clock.now() - this.o.retrainMs, limit);
    let n = 0;
    let next = 0;
    await Promise.all(Array.from({ length: width }, async () => {
      while (next < stale.length) {
        const s = stale[next++]!;
        const scope = { account: s.account, region: s.region };
        const det = await this.o.repo.get(scope, s.key);
        if (det === undefined) continue;
        try {
          await this.train(scope, det, s.period);
          n++;
        } catch (e) {
          this.o.log.warn({ err: e, detector: s.key, period: s.period }, 'anomaly model training failed');
        }
      }
    }));
    return n;
  }

  /** One fit at a time per (detector, period): concurrent requests share it. */
  private train(scope: Scope, det: DetectorRecord, period: number): Promise<ModelRecord> {
    const ck = cacheKey(scope, det.key, period);
    let p = this.training.get(ck);
    if (p === undefined) {
      p = this.fit(scope, det, period).finally(() => this.training.delete(ck));
      this.training.set(ck, p);
    }
    return p;
  }

  private async fit(scope: Scope, det: DetectorRecord, period: number): Promise<ModelRecord> {
    const now = this.o.clock.now();
    const end = Math.floor(now / (period * 1000)) * period * 1000;
    const start = end - Math.min(TRAINING_WINDOW_MS, MAX_TRAINING_POINTS * period * 1000);
    const points = await this.o.query(scope, det.metric, { start, end, period });
    const model = trainModel(points, { period, timezone: det.config.timezone, excluded: det.config.excluded, periodicSpikes: det.config.periodicSpikes });
    const rec: ModelRecord = { key: det.key, period, trainedAt: now, ...(model ? { model } : {}) };
    // A detector deleted while its fit ran stays deleted.
    if (await this.o.repo.get(scope, det.key) === undefined) return rec;
    await this.o.repo.putModel(scope, rec);
    // Other nodes drop their older fit of this detector (this one is in the store for them to read).
    await this.changed(scope, det.key);
    this.cache.set(cacheKey(scope, det.key, period), rec);
    return rec;
  }

  /** After a committed detector or model write: drops the cached models here and on the other nodes. */
  private changed(scope: Scope, key: string): Promise<void> {
    if (!this.o.changes) return Promise.resolve(this.forget(scope, key));
    return this.o.changes.publish(ANOMALY_MODELS_TOPIC, JSON.stringify([scope.account, scope.region, key]));
  }

  private dropAll(): void {
    this.generation++;
    this.cache.clear();
  }

  private forget(scope: Scope, key: string): void {
    this.generation++;
    const suffix = `\u0000${key}`;
    const prefix = `${scope.account}\u0000${scope.region}\u0000`;
    for (const k of this.cache.keys()) if (k.startsWith(prefix) && k.endsWith(suffix)) this.cache.delete(k);
  }
}
