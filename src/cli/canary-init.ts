/**
 * `osprey canary init <blueprint> [dir]`: a blueprint's script written where its runtime loads it
 * (`<dir>/nodejs/node_modules/<file>.js` for Puppeteer, `<dir>/<file>.js` for Playwright — the
 * blueprint's fileName is that path), `<dir>/canary.zip` holding it, and the `aws synthetics
 * create-canary` command line that creates the canary on an Osprey server.
 *
 * Exit status: 0 written, 2 usage error (unknown blueprint, bad parameter, files already there).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { blueprints, findBlueprint, render, type Blueprint } from '../services/synthetics/blueprints/index.ts';
import { RUNTIME_VERSIONS } from '../services/synthetics/runtimes.ts';

export interface InitOptions {
  /** The page or endpoint to check: the blueprint's URL parameter, or its URLS list (repeatable). */
  url?: string[];
  /** `NAME=value` blueprint parameters; a value that parses as JSON is taken as JSON. */
  param?: string[];
  name?: string;
  schedule?: string;
  runtime?: string;
  artifactLocation?: string;
  role?: string;
  endpointUrl?: string;
  force?: boolean;
}

/** A problem with the command line rather than the machine: one line, exit 2. */
export class UsageError extends Error {}

export interface InitResult {
  scriptPath: string;
  zipPath: string;
  /** The shell commands to create and start the canary. */
  commands: string[];
}

function blueprintOf(name: string): Blueprint {
  const bp = findBlueprint(name);
  if (!bp) throw new UsageError(`unknown blueprint "${name}"; the blueprints are ${blueprints.map((b) => `${b.name} (${b.title})`).join(', ')}`);
  return bp;
}

/** --param NAME=value and --url, checked against the blueprint's parameters. */
export function paramsFrom(bp: Blueprint, o: Pick<InitOptions, 'url' | 'param'>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const known = (n: string) => bp.params.some((p) => p.name === n);
  for (const pair of o.param ?? []) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : '';
    if (!known(key)) throw new UsageError(`--param ${pair}: blueprint ${bp.name} has the parameters ${bp.params.map((p) => p.name).join(', ')} (give NAME=value)`);
    const raw = pair.slice(eq + 1);
    try {
      params[key] = JSON.parse(raw);
    } catch {
      params[key] = raw;
    }
  }
  const urls = o.url ?? [];
  if (urls.length > 0) {
    if (known('URLS')) params.URLS = urls;
    else if (known('URL') && urls.length === 1) params.URL = urls[0];
    else if (known('URL')) throw new UsageError(`blueprint ${bp.name} checks one URL; --url was given ${urls.length} times`);
    else throw new UsageError(`blueprint ${bp.name} has no URL parameter; set its parameters with --param (${bp.params.map((p) => p.name).join(', ')})`);
  }
  return params;
}

/** The newest runtime version Osprey runs for the blueprint's family. */
function newestRuntime(bp: Blueprint): string {
  const versions = [...RUNTIME_VERSIONS].filter(([, family]) => family === bp.runtimeFamily).map(([v]) => v);
  return versions.at(-1)!;
}

/** Single-quoted for POSIX shells when it holds anything but plain word characters. */
const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function initCanary(blueprint: string, dir: string | undefined, o: InitOptions): InitResult {
  const bp = blueprintOf(blueprint);
  const name = o.name ?? `${bp.name}-canary`;
  if (!/^[0-9a-z_-]{1,255}$/.test(name)) throw new UsageError(`--name ${name}: a canary name is 1-255 lower-case letters, digits, - and _`);
  const params = paramsFrom(bp, o);
  const script = render(bp.name, params);
  const root = resolve(dir ?? name);
  const scriptPath = join(root, bp.fileName);
  const zipPath = join(root, 'canary.zip');
  for (const p of [scriptPath, zipPath]) {
    if (existsSync(p) && !o.force) throw new UsageError(`${p} already exists (--force overwrites it)`);
  }
  mkdirSync(dirname(scriptPath), { recursive: true });
  writeFileSync(scriptPath, script);
  writeFileSync(zipPath, zipSync({ [bp.fileName]: strToU8(script) }, { level: 9 }));
  const endpoint = o.endpointUrl ?? 'http://127.0.0.1:4566';
  // Nested blobs are not read from fileb:// by the AWS CLI: ZipFile goes inline as base64, which
  // AWS CLI v2 (cli_binary_format base64, its default) decodes into the zip's bytes.
  const create = [
    `aws synthetics create-canary --endpoint-url ${q(endpoint)}`,
    `--name ${name}`,
    `--code "ZipFile=$(base64 < ${q(zipPath)} | tr -d '\\n'),Handler=${bp.handler}"`,
    `--artifact-s3-location ${q(o.artifactLocation ?? `s3://osprey-canaries/${name}`)}`,
    `--execution-role-arn ${q(o.role ?? 'arn:aws:iam::000000000000:role/CloudWatchSyntheticsRole')}`,
    `--schedule ${q(`Expression=${o.schedule ?? 'rate(5 minutes)'}`)}`,
    `--runtime-version ${q(o.runtime ?? newestRuntime(bp))}`,
  ].join(' \\\n    ');
  return { scriptPath, zipPath, commands: [create, `aws synthetics start-canary --endpoint-url ${q(endpoint)} --name ${name}`] };
}
