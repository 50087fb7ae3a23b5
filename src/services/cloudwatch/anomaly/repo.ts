/**
 * Anomaly detectors and their trained models, per (account, region), in the metadata store. A model is kept per
 * detector and period (a band at 1 minute and one at 1 hour are different fits), so a restart
 * answers with the very model it answered with before, and retraining resumes where it was.
 */
import type { Migration } from '../../../store/meta/db.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { DetectorConfig, DetectorMetric } from './detector.ts';
import type { AnomalyModel } from './model.ts';

export interface Scope { account: string; region: string }

export interface DetectorRecord {
  key: string;
  metric: DetectorMetric;
  config: DetectorConfig;
  createdAt: number;
}

export interface ModelRecord {
  key: string;
  period: number;
  /** Epoch ms. */
  trainedAt: number;
  /** undefined: trained, but the window held too few datapoints. */
  model?: AnomalyModel;
}

export const ANOMALY_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'anomaly detectors and models',
    sql: `CREATE TABLE cw_anomaly_detectors (
      account TEXT NOT NULL, region TEXT NOT NULL, key TEXT NOT NULL,
      metric TEXT NOT NULL, config TEXT NOT NULL, created_at INTEGER NOT NULL,
      PRIMARY KEY (account, region, key));
    CREATE TABLE cw_anomaly_models (
      account TEXT NOT NULL, region TEXT NOT NULL, key TEXT NOT NULL, period INTEGER NOT NULL,
      trained_at INTEGER NOT NULL, model TEXT,
      PRIMARY KEY (account, region, key, period));`,
  },
];

type Row = Record<string, unknown>;

export class AnomalyStore {
  constructor(private readonly db: Sql) {}

  async put(scope: Scope, d: DetectorRecord): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO cw_anomaly_detectors (account, region, key, metric, config, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, region, key) DO UPDATE SET config = excluded.config`,
      [scope.account, scope.region, d.key, JSON.stringify(d.metric), JSON.stringify(d.config), d.createdAt]);
      // A new configuration (excluded ranges, time zone) changes the fit: train again.
      await tx.run('DELETE FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ?', [scope.account, scope.region, d.key]);
    });
  }

  async get(scope: Scope, key: string): Promise<DetectorRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM cw_anomaly_detectors WHERE account = ? AND region = ? AND key = ?', [scope.account, scope.region, key]);
    return row && toDetector(row);
  }

  async list(scope: Scope): Promise<DetectorRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM cw_anomaly_detectors WHERE account = ? AND region = ? ORDER BY created_at, key', [scope.account, scope.region])).map(toDetector);
  }

  async count(scope: Scope): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM cw_anomaly_detectors WHERE account = ? AND region = ?', [scope.account, scope.region]))!.n);
  }

  async delete(scope: Scope, key: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ?', [scope.account, scope.region, key]);
      return (await tx.run('DELETE FROM cw_anomaly_detectors WHERE account = ? AND region = ? AND key = ?', [scope.account, scope.region, key])).changes > 0;
    });
  }

  async model(scope: Scope, key: string, period: number): Promise<ModelRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ? AND period = ?',
      [scope.account, scope.region, key, period]);
    return row && toModel(row);
  }

  async models(scope: Scope, key: string): Promise<ModelRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ? ORDER BY period',
      [scope.account, scope.region, key])).map(toModel);
  }

  async putModel(scope: Scope, m: ModelRecord): Promise<void> {
    await this.db.run(`INSERT INTO cw_anomaly_models (account, region, key, period, trained_at, model) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, key, period) DO UPDATE SET trained_at = excluded.trained_at, model = excluded.model`,
    [scope.account, scope.region, m.key, m.period, m.trainedAt, m.model ? JSON.stringify(m.model) : null]);
  }

  /** Every (scope, detector, period) whose model was trained before `before`, oldest first. */
  async stale(before: number, limit: number): Promise<(ModelRecord & Scope)[]> {
    return (await this.db.all<Row>('SELECT * FROM cw_anomaly_models WHERE trained_at < ? ORDER BY trained_at, account, region, key, period LIMIT ?', [before, limit]))
      .map((r) => ({ ...toModel(r), account: String(r.account), region: String(r.region) }));
  }
}

const toDetector = (r: Row): DetectorRecord => ({
  key: String(r.key), metric: JSON.parse(String(r.metric)) as DetectorMetric, config: JSON.parse(String(r.config)) as DetectorConfig, createdAt: Number(r.created_at),
});

const toModel = (r: Row): ModelRecord => ({
  key: String(r.key), period: Number(r.period), trainedAt: Number(r.trained_at),
  ...(r.model === null ? {} : { model: JSON.parse(String(r.model)) as AnomalyModel }),
});
