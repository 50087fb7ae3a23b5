import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './server.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `osprey <args>` (src/main.ts through tsx) to completion without blocking the event loop. */
export function osprey(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, OSPREY_LOG_LEVEL: 'warn', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }));
  });
}
