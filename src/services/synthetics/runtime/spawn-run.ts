/**
 * How the server starts one canary run: the bundled runtime in a child process of its own process
 * group (so the whole tree — node and Chromium — can be killed at once), with the canary's
 * environment variables plus OSPREY_CANARY_JOB, killed with SIGKILL at the timeout. After the child
 * ends, the group is killed again and any process still carrying the run's marker switch is
 * killed and reported, so no browser outlives its run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanaryJob } from './job.ts';
import { runMarker, runTempPrefix } from './launch-options.ts';

export interface SpawnOptions {
  bundlePath: string;
  /** The canary's EnvironmentVariables (on top of PATH, HOME, TMPDIR, LANG and TZ). */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Where to write the job; default next to the result file. */
  jobFile?: string;
  /** Working directory; default a scratch directory removed afterwards. */
  cwd?: string;
}

export interface SpawnOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Pids of this run's browser processes still alive when the child exited by itself (then killed). */
  strays: number[];
  /** The end of the child's stderr, for a run that died before writing its log. */
  stderrTail: string;
}

const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
const STDERR_KEEP = 8192;

/** Processes whose command line carries `marker` (read from /proc; empty where there is none). */
export function processesWith(marker: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').includes(marker)) found.push(Number(e));
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGKILLs every process carrying the marker until none is left (they may have left the group). */
async function killAll(marker: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const pids = processesWith(marker);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A killed run cannot clean up after itself: its profile and module directories go here. */
function removeRunTemp(runId: string): void {
  const prefix = runTempPrefix(runId);
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(prefix)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function childEnv(job: CanaryJob, jobFile: string, env: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const k of INHERITED) if (process.env[k] !== undefined) base[k] = process.env[k];
  return { ...base, ...env, OSPREY_CANARY_JOB: jobFile, AWS_REGION: env?.AWS_REGION ?? job.canary.region };
}

export async function spawnCanaryRun(job: CanaryJob, opts: SpawnOptions): Promise<SpawnOutcome> {
  const jobFile = opts.jobFile ?? `${job.resultFile}.job.json`;
  writeFileSync(jobFile, JSON.stringify(job));
  const scratch = opts.cwd ? undefined : mkdtempSync(join(tmpdir(), 'osprey-canary-cwd-'));
  const child = spawn(process.execPath, [opts.bundlePath], {
    cwd: opts.cwd ?? scratch,
    env: childEnv(job, jobFile, opts.env),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderrTail = '';
  child.stderr?.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString('utf8')).slice(-STDERR_KEEP)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, opts.timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', () => resolve([null, null]));
    child.once('close', (code, sig) => resolve([code, sig]));
  });
  clearTimeout(timer);
  // Whatever of the run is still alive now was left behind by the child (or by the timeout kill).
  const marker = runMarker(job.runId);
  const strays = timedOut ? [] : processesWith(marker);
  killGroup(child.pid);
  await killAll(marker);
  removeRunTemp(job.runId);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  rmSync(jobFile, { force: true });
  return { exitCode, signal, timedOut, strays, stderrTail };
}
