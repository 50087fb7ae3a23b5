/**
 * Background-job runs as facts for self-monitoring: the periodic and scheduled runners report each
 * run here (how late it started, how long it took), and whoever watches (the server's self-metrics)
 * subscribes. Process-wide on purpose: runners are built deep inside service modules, and a report
 * with nobody listening costs one Set lookup.
 */
export interface JobRun {
  /** The runner's name, e.g. `log-retention`, `events-schedules`. */
  job: string;
  /** How long after it was due the run started (seconds, ≥ 0). */
  lagSeconds: number;
  durationSeconds: number;
  ok: boolean;
  /** Epoch ms the run ended. */
  endedAt: number;
}

const listeners = new Set<(r: JobRun) => void>();

export function reportJobRun(r: JobRun): void {
  for (const l of listeners) l(r);
}

/** Returns the unsubscribe function. */
export function onJobRun(listener: (r: JobRun) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
