/**
 * The canary state machine's background half, run on every sync of the runner: CREATING → READY
 * (code unpacked) or ERROR, STARTING → RUNNING (first run now), RUNNING → STOPPING when
 * DurationInSeconds is over, STOPPING → STOPPED once no run of the canary is queued or running.
 * Each transition is published as a "Synthetics Canary Status Change" event.
 */
import { join } from 'node:path';
import type { Scope } from '../../../lib/arn.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { Bus } from '../../../server/facts.ts';
import type { TimerRepo } from '../../../store/meta/timers.ts';
import { extractCode } from '../code/zip.ts';
import type { CanaryPatch, SyntheticsRepo } from '../repo.ts';
import { nextRunAt, parseCanarySchedule } from '../schedule.ts';
import type { CanaryState, StoredCanary } from '../types.ts';
import { statusEvent } from './publish.ts';

export const MODULE = 'synthetics';
// Stored in the timers table: no U+0000, which PostgreSQL text cannot hold (names, accounts and
// Regions have no '/'). Releases before this one wrote U+0000; parseKey reads both until the first
// sync replaces those timers.
export const keyOf = (s: Scope, name: string): string => `${s.account}/${s.region}/${name}`;
export const parseKey = (key: string): [account: string, region: string, name: string] =>
  key.split(key.includes('\u0000') ? '\u0000' : '/') as [string, string, string];
export const specOf = (c: StoredCanary): string => `${c.modifiedAt}|${c.lastStarted ?? 0}`;

export interface SyncDeps {
  repo: SyntheticsRepo;
  timers: TimerRepo;
  bus: Bus;
  log: Logger;
  now(): number;
  root: string;
  /** Whether the canary has a run queued or running. */
  busy(key: string): boolean;
}

export async function move(deps: SyncDeps, c: StoredCanary, from: CanaryState[], patch: CanaryPatch & { state: CanaryState }): Promise<boolean> {
  const ok = await deps.repo.transition(c, c.name, from, patch);
  if (ok) deps.bus.publish({ kind: 'service.event', event: statusEvent(c, c, c.state, patch.state, deps.now()) });
  return ok;
}

async function provision(deps: SyncDeps, c: StoredCanary): Promise<void> {
  try {
    const code = await deps.repo.code(c, c.name);
    extractCode(join(deps.root, 'code'), { zip: code!, sha: c.codeSha });
    await move(deps, c, ['CREATING'], { state: 'READY', stateReason: undefined, stateReasonCode: undefined });
  } catch (err) {
    await move(deps, c, ['CREATING'], { state: 'ERROR', stateReason: `The canary's code could not be unpacked: ${(err as Error).message}`, stateReasonCode: 'CREATE_FAILED' });
  }
}

/** RUNNING: stop when DurationInSeconds is over, else make sure a repeating canary has its timer. */
async function keepRunning(deps: SyncDeps, c: StoredCanary, timers: Map<string, { spec: string }>): Promise<void> {
  const now = deps.now();
  const { durationInSeconds, expression } = c.config.schedule;
  if (durationInSeconds > 0 && (c.lastStarted ?? now) + durationInSeconds * 1000 <= now) {
    await move(deps, c, ['RUNNING'], { state: 'STOPPING', stateReason: `The canary ran for its DurationInSeconds (${durationInSeconds}).` });
    return;
  }
  const key = keyOf(c, c.name);
  const existing = timers.get(key);
  if (existing?.spec === specOf(c)) return;
  const schedule = parseCanarySchedule(expression);
  // A run-once canary's single timer was set when it started; an updated schedule re-aims a repeating one.
  if (schedule.kind === 'once') return;
  const next = nextRunAt(schedule, c.lastStarted ?? now, now);
  if (next === undefined) await deps.timers.remove(MODULE, key);
  else await deps.timers.upsert(MODULE, { key, nextFireAt: next, spec: specOf(c) });
}

export async function syncLifecycle(deps: SyncDeps): Promise<void> {
  const active = await deps.repo.canariesIn(['CREATING', 'STARTING', 'RUNNING', 'STOPPING']);
  const timers = new Map((await deps.timers.list(MODULE)).map((t) => [t.key, t]));
  const running = new Set<string>();
  for (const c of active) {
    const key = keyOf(c, c.name);
    try {
      if (c.state === 'CREATING') await provision(deps, c);
      else if (c.state === 'STARTING') {
        if (await move(deps, c, ['STARTING'], { state: 'RUNNING' })) {
          await deps.timers.upsert(MODULE, { key, nextFireAt: deps.now(), spec: specOf(c) });
          timers.set(key, { key, nextFireAt: deps.now(), spec: specOf(c) });
          running.add(key);
        }
      } else if (c.state === 'RUNNING') {
        running.add(key);
        await keepRunning(deps, c, timers);
      } else if (c.state === 'STOPPING' && !deps.busy(key)) {
        await move(deps, c, ['STOPPING'], { state: 'STOPPED', lastStopped: deps.now() });
      }
    } catch (err) {
      deps.log.error({ err, canary: c.name }, 'synthetics: canary state sync failed');
    }
  }
  for (const key of timers.keys()) if (!running.has(key)) await deps.timers.remove(MODULE, key);
}
