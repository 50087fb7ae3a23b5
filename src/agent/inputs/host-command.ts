/**
 * The two inputs that have no /proc or /sys source run the vendor's tool, as the CloudWatch agent
 * does: nvidia_gpu runs `nvidia-smi` (NVML has no file interface) and ethtool runs `ethtool -S`
 * (driver statistics are only reachable through the SIOCETHTOOL ioctl). Where the tool is missing
 * the input reports nothing and says so once.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable among `preferred`, then `name` on PATH. */
export function findExecutable(name: string, preferred: readonly string[] = [], path = process.env.PATH ?? ''): string | undefined {
  const candidates = [...preferred, ...path.split(delimiter).filter(Boolean).map((d) => join(d, name))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface CommandResult { ok: boolean; stdout: string; stderr: string }

/** Runs a tool without a shell; a non-zero exit, a timeout or a spawn error is `ok: false`, never a throw. */
export function runCommand(file: string, args: readonly string[], timeoutMs = 5000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ ok: err === null, stdout, stderr: err && !stderr ? err.message : stderr });
    });
  });
}
