/**
 * Makes a canary script's `require(...)` and `import ... from` of AWS's library names resolve to
 * this runtime's objects, unchanged scripts included:
 *  - each library name gets a tiny shim file (CommonJS and ES module flavours) in a per-run
 *    directory; the shim reads the live object from a global registry, so both module systems and
 *    every importer share one `synthetics`, one logger, one configuration;
 *  - CommonJS: Module._resolveFilename maps the names to the .cjs shims;
 *  - ES modules: a module.register() resolve hook maps them to the .mjs shims.
 * Browser packages (puppeteer-core, playwright-core, playwright) resolve normally first — a copy
 * shipped in the zip's node_modules wins — and fall back to the runtime's own copy. Every other
 * name resolves the normal way, so the zip's own node_modules keep working.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveOwn } from './deps.ts';
import { runTempPrefix } from './launch-options.ts';

export interface ModuleEntry {
  /** What `require(name)` and `import x from name` give. */
  value: unknown;
  /** The names `import { a } from name` and `const { a } = require(name)` see. */
  named: Record<string, unknown>;
}

export const REGISTRY_KEY = 'osprey.canary.modules';

/**
 * The runtime's own package for a specifier the zip does not provide, or undefined when the
 * specifier is not one the runtime stands in for. Self-contained: it is also serialised into the
 * ES module resolve hook, so both module systems apply the same rule.
 */
export function fallbackSpecifier(specifier: string): string | undefined {
  if (specifier === 'playwright') return 'playwright-core';
  for (const own of ['puppeteer-core', 'playwright-core']) {
    if (specifier === own || specifier.startsWith(`${own}/`)) return specifier;
  }
  return undefined;
}

/** `@aws/synthetics-puppeteer` → `aws__synthetics-puppeteer`: a file name per module name. */
export function shimBaseName(name: string): string {
  return name.replace(/^@/, '').replace(/\//g, '__').replace(/[^\w.-]/g, '_');
}

const registryExpr = (name: string) => `globalThis[Symbol.for(${JSON.stringify(REGISTRY_KEY)})][${JSON.stringify(name)}]`;

export function cjsShim(name: string): string {
  return `module.exports = ${registryExpr(name)}.value;\n`;
}

export function esmShim(name: string, named: readonly string[]): string {
  const lines = [`const m = ${registryExpr(name)};`, 'export default m.value;'];
  for (const n of named) {
    if (/^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default') lines.push(`export const ${n} = m.named[${JSON.stringify(n)}];`);
  }
  return `${lines.join('\n')}\n`;
}

/** The ES module hooks: library names → shim URLs, browser packages → own copy when missing. */
export function esmHookSource(): string {
  return `const fallbackSpecifier = ${fallbackSpecifier.toString()};
let shims = {}, ownParent = '';
export function initialize(data) { shims = data.shims; ownParent = data.ownParent; }
export async function resolve(specifier, context, next) {
  if (Object.prototype.hasOwnProperty.call(shims, specifier)) return { url: shims[specifier], format: 'module', shortCircuit: true };
  const own = fallbackSpecifier(specifier);
  if (own === undefined) return next(specifier, context);
  try { return await next(specifier, context); } catch (e) {
    if (!e || e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return next(own, { ...context, parentURL: ownParent });
  }
}
`;
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/** Installs both hooks; returns a cleanup that removes the shim directory. */
export function installModuleResolution(modules: Record<string, ModuleEntry>, runId: string): () => void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(REGISTRY_KEY)] = modules;
  for (const entry of Object.values(modules)) {
    const target = entry.value;
    if ((typeof target !== 'object' && typeof target !== 'function') || target === null) continue;
    for (const [k, v] of Object.entries(entry.named)) {
      // Destructuring a require() (`const { synthetics } = require(...)`) reads these.
      if (!(k in target)) Object.defineProperty(target, k, { value: v, configurable: true });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), `${runTempPrefix(runId)}modules-`));
  const cjs = new Map<string, string>();
  const esm: Record<string, string> = {};
  for (const [name, entry] of Object.entries(modules)) {
    const base = join(dir, shimBaseName(name));
    writeFileSync(`${base}.cjs`, cjsShim(name));
    writeFileSync(`${base}.mjs`, esmShim(name, Object.keys(entry.named)));
    cjs.set(name, `${base}.cjs`);
    esm[name] = pathToFileURL(`${base}.mjs`).href;
  }
  installCjsHook(cjs);
  // Resolving "as if imported by the runtime" finds the runtime's own browser packages.
  register(`data:text/javascript,${encodeURIComponent(esmHookSource())}`, { data: { shims: esm, ownParent: import.meta.url } });
  return () => rmSync(dir, { recursive: true, force: true });
}

function installCjsHook(shims: Map<string, string>): void {
  const mod = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const shim = shims.get(request);
    if (shim) return shim;
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (e) {
      const own = fallbackSpecifier(request);
      if (own === undefined || (e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
      return resolveOwn(own);
    }
  };
}
