/**
 * Entry point of `dist/canary-runtime.cjs`: reads the CanaryJob named by OSPREY_CANARY_JOB and
 * runs it (canary-run.ts). The process exits when the result is written.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { CanaryRun } from './canary-run.ts';
import type { CanaryJob } from './job.ts';

const jobFile = process.env.OSPREY_CANARY_JOB;
if (!jobFile) {
  process.stderr.write('canary-runtime: OSPREY_CANARY_JOB is not set\n');
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as CanaryJob;
// The job's environment variable is for this process only, not for the script's child processes.
delete process.env.OSPREY_CANARY_JOB;
mkdirSync(job.artifactDir, { recursive: true });
void new CanaryRun(job).execute();
