/** `osprey doctor`: runs the checks of src/ops/doctor and prints them as a checklist or JSON. */
import { resolve } from 'node:path';
import { ConfigError, defaultConfig, loadConfig, type OspreyConfig } from '../config/config.ts';
import { fail, formatChecks, ok, type Check } from '../ops/doctor/check.ts';
import { checkDisk, checkLock, checkMetaSchema, checkPermissions, checkTelemetrySchema, checkWalBacklog } from '../ops/doctor/data-dir.ts';
import { checkPostgresMetaSchema } from '../ops/doctor/postgres-meta.ts';
import { checkPorts } from '../ops/doctor/ports.ts';
import { OSPREY_VERSION } from '../ops/version.ts';

export interface DoctorCliOptions {
  config?: string;
  dataDir?: string;
  minFreeMb: string;
  json?: boolean;
}

function configCheck(o: DoctorCliOptions): { check: Check; cfg: OspreyConfig | undefined } {
  try {
    const cfg = loadConfig({ configFile: o.config, dataDir: o.dataDir });
    const file = o.config ?? process.env.OSPREY_CONFIG;
    return { check: ok('config', `${file ? `${file} is valid` : 'no config file; defaults and environment are valid'} (data directory ${cfg.dataDir})`), cfg };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { check: fail('config', e.message), cfg: undefined };
  }
}

export async function doctorChecks(o: DoctorCliOptions): Promise<Check[]> {
  const minFreeMb = Number(o.minFreeMb);
  if (!Number.isFinite(minFreeMb) || minFreeMb < 0) throw new ConfigError(`--min-free-mb must be a number of MiB, got "${o.minFreeMb}"`);
  const { check, cfg: loaded } = configCheck(o);
  // A broken config still gets its data directory checked (the flag's, or the default).
  const cfg = loaded ?? { ...defaultConfig(), dataDir: resolve(o.dataDir ?? process.env.OSPREY_DATA ?? defaultConfig().dataDir) };
  const checks = [ok('version', `Osprey ${OSPREY_VERSION}, Node ${process.versions.node}`), check];
  if (loaded) checks.push(...(await checkPorts(loaded)));
  checks.push(await checkDisk(cfg.dataDir, minFreeMb), ...(await checkPermissions(cfg.dataDir)));
  const lock = checkLock(cfg.dataDir);
  const meta = cfg.metadata.url ? await checkPostgresMetaSchema(cfg.metadata.url) : checkMetaSchema(cfg.dataDir);
  checks.push(lock.check, meta, await checkTelemetrySchema(cfg, lock.held), await checkWalBacklog(cfg.dataDir));
  return checks;
}

/** Prints the checks; returns the exit status (1 when any failed). */
export async function runDoctor(o: DoctorCliOptions, print: (line: string) => void): Promise<number> {
  const checks = await doctorChecks(o);
  const failed = checks.some((c) => c.status === 'fail');
  if (o.json) print(JSON.stringify({ ok: !failed, checks }, null, 2));
  else for (const line of formatChecks(checks)) print(line);
  return failed ? 1 : 0;
}
