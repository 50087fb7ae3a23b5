/**
 * Anomaly detectors and their trained models, per (account, region), in SQLite. A model is kept per
 * detector and period (a band at 1 minute and one at 1 hour are different fits), so a restart
 * answers with the very model it answered with before, and retraining resumes where it was.
 */
import type { Db, Migration } from '../../../store/meta/db.ts';
import { PreparedStatements } from '../../../store/meta/db.ts';
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

export class SqliteAnomalyRepo {
  private readonly st: PreparedStatements;

  constructor(db: Db) {
    this.st = new PreparedStatements(db);
  }

  put(scope: Scope, d: DetectorRecord): void {
    this.st.get(`INSERT INTO cw_anomaly_detectors (account, region, key, metric, config, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, key) DO UPDATE SET config = excluded.config`)
      .run(scope.account, scope.region, d.key, JSON.stringify(d.metric), JSON.stringify(d.config), d.createdAt);
    // A new configuration (excluded ranges, time zone) changes the fit: train again.
    this.st.get('DELETE FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ?').run(scope.account, scope.region, d.key);
  }

  get(scope: Scope, key: string): DetectorRecord | undefined {
    const row = this.st.get('SELECT * FROM cw_anomaly_detectors WHERE account = ? AND region = ? AND key = ?').get(scope.account, scope.region, key) as Row | undefined;
    return row && toDetector(row);
  }

  list(scope: Scope): DetectorRecord[] {
    return (this.st.get('SELECT * FROM cw_anomaly_detectors WHERE account = ? AND region = ? ORDER BY created_at, key').all(scope.account, scope.region) as Row[]).map(toDetector);
  }

  count(scope: Scope): number {
    return (this.st.get('SELECT count(*) AS n FROM cw_anomaly_detectors WHERE account = ? AND region = ?').get(scope.account, scope.region) as { n: number }).n;
  }

  delete(scope: Scope, key: string): boolean {
    this.st.get('DELETE FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ?').run(scope.account, scope.region, key);
    return this.st.get('DELETE FROM cw_anomaly_detectors WHERE account = ? AND region = ? AND key = ?').run(scope.account, scope.region, key).changes > 0;
  }

  model(scope: Scope, key: string, period: number): ModelRecord | undefined {
    const row = this.st.get('SELECT * FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ? AND period = ?')
      .get(scope.account, scope.region, key, period) as Row | undefined;
    return row && toModel(row);
  }

  models(scope: Scope, key: string): ModelRecord[] {
    return (this.st.get('SELECT * FROM cw_anomaly_models WHERE account = ? AND region = ? AND key = ? ORDER BY period')
      .all(scope.account, scope.region, key) as Row[]).map(toModel);
  }

  putModel(scope: Scope, m: ModelRecord): void {
    this.st.get(`INSERT INTO cw_anomaly_models (account, region, key, period, trained_at, model) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, key, period) DO UPDATE SET trained_at = excluded.trained_at, model = excluded.model`)
      .run(scope.account, scope.region, m.key, m.period, m.trainedAt, m.model ? JSON.stringify(m.model) : null);
  }

  /** Every (scope, detector, period) whose model was trained before `before`, oldest first. */
  stale(before: number, limit: number): (ModelRecord & Scope)[] {
    return (this.st.get('SELECT * FROM cw_anomaly_models WHERE trained_at < ? ORDER BY trained_at LIMIT ?').all(before, limit) as Row[])
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
