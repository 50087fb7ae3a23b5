/**
 * One canary run, start to record: unpack the code (cached by digest), write the job, run it in a
 * child process (runtime/spawn-run.ts: own process group, killed at the timeout, Chromium never
 * outlives it), read its result, copy the artifacts to the artifact bucket in AWS's layout, and
 * record the run. Every way a run can end is a recorded PASSED or FAILED run with its reason.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Scope } from '../../../lib/arn.ts';
import type { ExportDestinations } from '../../../store/buckets/sinks.ts';
import { parseArtifactLocation } from '../canary-config.ts';
import { handlerCandidates, parseHandler } from '../code/handler.ts';
import { extractCode } from '../code/zip.ts';
import { canaryArn } from '../names.ts';
import type { SyntheticsRepo } from '../repo.ts';
import { runtimeFamily } from '../runtimes.ts';
import type { CanaryJob, CanaryResult } from '../runtime/job.ts';
import { spawnCanaryRun } from '../runtime/spawn-run.ts';
import type { CanaryRecord, RunRecord } from '../types.ts';
import { runKeyPrefix, runLocation } from './artifact-keys.ts';

export interface ExecuteDeps {
  repo: SyntheticsRepo;
  buckets: ExportDestinations;
  now(): number;
  /** `<data>/synthetics`: code/, artifacts/, scratch/. */
  root: string;
  artifactsRoot: string;
  chromiumPath: string;
  bundlePath: string;
}

export interface FinishedRun {
  run: RunRecord;
  result?: CanaryResult;
  logText: string;
}

/** Where the handler file is in the extracted code (the runtime's lookup order). */
function handlerFile(c: CanaryRecord, codeDir: string): { file: string; exportName: string } {
  const ref = parseHandler(c.config.handler);
  const family = runtimeFamily(c.config.runtimeVersion);
  const found = ref && family && handlerCandidates(family, ref).find((p) => existsSync(join(codeDir, p)));
  if (!ref || !found) throw new Error(`The handler file for ${c.config.handler} is not in the code.`);
  return { file: join(codeDir, found), exportName: ref.exportName };
}

async function baseRunDir(deps: ExecuteDeps, s: Scope, c: CanaryRecord): Promise<string | undefined> {
  const base = c.config.visualReference?.baseCanaryRunId;
  if (!base || base === 'nextrun') return undefined;
  return (await deps.repo.run(s, c.id, base))?.localDir;
}

function readLog(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir).filter((f) => /(^logs.*|-log)\.txt$/.test(f)).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('');
}

function failure(reason: string, code: RunRecord['stateReasonCode'] = 'CANARY_FAILURE') {
  return { state: 'FAILED' as const, stateReason: reason.slice(0, 1024), stateReasonCode: code };
}

/** Copies every artifact to the bucket; the first failure is thrown. */
async function uploadArtifacts(deps: ExecuteDeps, bucket: string, keyPrefix: string, dir: string): Promise<void> {
  const sink = deps.buckets.sink(bucket);
  if (!sink) throw new Error(`S3 bucket ${bucket} is no longer mapped in export.buckets`);
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) await sink.put(`${keyPrefix}/${f}`, readFileSync(join(dir, f)));
}

export async function executeRun(deps: ExecuteDeps, s: Scope, c: CanaryRecord, attempt: { scheduledRunId: string; retryAttempt: number }): Promise<FinishedRun> {
  const id = randomUUID();
  const started = deps.now();
  const loc = parseArtifactLocation(c.config.artifactS3Location, deps.buckets);
  const keyPrefix = runKeyPrefix(loc, s.region, c, started, id);
  const localDir = join(deps.artifactsRoot, s.account, s.region, c.id, id);
  const scratch = join(deps.root, 'scratch', id);
  mkdirSync(localDir, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  const run: RunRecord = { canaryId: c.id, id, ...attempt, state: 'RUNNING', started, artifactLocation: runLocation(loc, keyPrefix), localDir };
  await deps.repo.insertRun(s, run);
  let result: CanaryResult | undefined;
  let outcome: Pick<RunRecord, 'state' | 'stateReason' | 'stateReasonCode'>;
  try {
    const code = await deps.repo.code(s, c.name);
    if (!code) throw new Error('the canary was deleted');
    const codeDir = extractCode(join(deps.root, 'code'), { zip: code, sha: c.codeSha });
    const handler = handlerFile(c, codeDir);
    const baseDir = await baseRunDir(deps, s, c);
    const job: CanaryJob = {
      runId: id,
      canary: { name: c.name, id: c.id, arn: canaryArn(s, c.name), account: s.account, region: s.region, runtimeVersion: c.config.runtimeVersion, family: runtimeFamily(c.config.runtimeVersion)! },
      codeDir, handlerFile: handler.file, handlerExport: handler.exportName, artifactDir: localDir, resultFile: join(scratch, 'result.json'),
      chromiumPath: deps.chromiumPath, timeoutMs: c.config.runConfig.timeoutInSeconds * 1000, startedAt: new Date(started).toISOString(),
      visual: baseDir ? { baseArtifactDir: baseDir, screenshots: (c.config.visualReference?.baseScreenshots ?? []).map((b) => ({ name: b.ScreenshotName!, ignoreCoordinates: b.IgnoreCoordinates ?? [] })) } : undefined,
      activeTracing: c.config.runConfig.activeTracing,
    };
    const exit = await spawnCanaryRun(job, { bundlePath: deps.bundlePath, env: c.config.runConfig.environment, timeoutMs: job.timeoutMs, jobFile: join(scratch, 'job.json') });
    if (existsSync(job.resultFile)) result = JSON.parse(readFileSync(job.resultFile, 'utf8')) as CanaryResult;
    if (exit.timedOut) outcome = failure(`Canary timed out after ${c.config.runConfig.timeoutInSeconds} seconds (RunConfig.TimeoutInSeconds).`);
    else if (!result) {
      const tail = exit.stderrTail.trim().split('\n').at(-1) ?? '';
      outcome = failure(`The canary process exited without a result (exit code ${exit.exitCode ?? 'none'}, signal ${exit.signal ?? 'none'})${tail ? `: ${tail}` : ''}.`, 'EXECUTION_FAILURE');
    }
    else outcome = result.status === 'PASSED' ? { state: 'PASSED' } : failure(result.reason ?? 'The canary failed.');
  } catch (err) {
    outcome = failure(`Osprey could not run the canary: ${(err as Error).message}`, 'EXECUTION_FAILURE');
  }
  try {
    await uploadArtifacts(deps, loc.bucket, keyPrefix, localDir);
  } catch (err) {
    // A failed upload fails the run (EXECUTION_FAILURE) unless the script already failed it.
    if (outcome.state === 'PASSED') outcome = failure(`Artifacts could not be written to ${run.artifactLocation}: ${(err as Error).message}`, 'EXECUTION_FAILURE');
  }
  rmSync(scratch, { recursive: true, force: true });
  const finished: RunRecord = { ...run, ...outcome, completed: deps.now(), result: result ? JSON.stringify(result) : undefined };
  await deps.repo.finishRun(s, finished);
  return { run: finished, result, logText: readLog(localDir) };
}
