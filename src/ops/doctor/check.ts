/** One line of `osprey doctor`'s checklist. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  /** What was checked: config, port, disk, permissions, lock, metadata schema, telemetry schema, wal. */
  name: string;
  status: CheckStatus;
  detail: string;
}

export const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
export const warn = (name: string, detail: string): Check => ({ name, status: 'warn', detail });
export const fail = (name: string, detail: string): Check => ({ name, status: 'fail', detail });

/** The checklist as text, one line per check. */
export function formatChecks(checks: readonly Check[]): string[] {
  const fails = checks.filter((c) => c.status === 'fail').length;
  const warns = checks.filter((c) => c.status === 'warn').length;
  return [
    ...checks.map((c) => `[${c.status.padStart(4)}] ${c.name}: ${c.detail}`),
    fails > 0 ? `${fails} check${fails === 1 ? '' : 's'} failed` : `all checks passed${warns > 0 ? ` (${warns} warning${warns === 1 ? '' : 's'})` : ''}`,
  ];
}
