/**
 * Loads the canary's handler file the way Node would run it: `.mjs`, or `.js` under a package.json
 * with `"type": "module"`, as an ES module; anything else through require() (falling back to
 * import() when require refuses an ES module). Returns the exported function.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether the nearest package.json above `file` declares `"type": "module"`. */
export function isModuleScope(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

async function importFile(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (file.endsWith('.mjs') || (file.endsWith('.js') && isModuleScope(file))) return importFile(file);
  try {
    return createRequire(file)(file) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_REQUIRE_ESM') return importFile(file);
    throw e;
  }
}

export async function loadHandler(file: string, exportName: string): Promise<(...args: unknown[]) => unknown> {
  const mod = await loadModule(file);
  const fn = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function') throw new Error(`The handler file ${file} does not export a function named ${exportName}`);
  return fn as (...args: unknown[]) => unknown;
}
