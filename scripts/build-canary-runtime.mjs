#!/usr/bin/env node
// Bundles the canary runtime (src/services/synthetics/runtime/main.ts → dist/canary-runtime.cjs):
// the child process each canary run executes. CommonJS, so user scripts' require() hooks apply to
// it; the browser and image packages stay outside the bundle and load from node_modules at run time.
// Run by `npm install` (prepare) and by whoever spawns a run when the sources are newer.
// Usage: node scripts/build-canary-runtime.mjs [--if-stale]
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newestMtime, writeBundle } from './lib/bundle-files.mjs';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'services', 'synthetics', 'runtime');
export const CANARY_RUNTIME_BUNDLE = join(root, 'dist', 'canary-runtime.cjs');


/** Whether the bundle is missing or older than the runtime's sources (or the lockfile, or this script). */
export function canaryRuntimeStale() {
  if (!existsSync(CANARY_RUNTIME_BUNDLE)) return true;
  const sources = Math.max(
    newestMtime(sourceDir),
    statSync(join(root, 'package-lock.json')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  return sources > statSync(CANARY_RUNTIME_BUNDLE).mtimeMs;
}

export async function buildCanaryRuntime({ ifStale = false } = {}) {
  if (ifStale && !canaryRuntimeStale()) return CANARY_RUNTIME_BUNDLE;
  const { build } = await import('esbuild');
  const out = await build({
    write: false,
    entryPoints: [join(sourceDir, 'main.ts')],
    outfile: CANARY_RUNTIME_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['puppeteer-core', 'playwright-core', 'pngjs', 'pixelmatch'],
    // The sources locate node_modules and register ES module hooks through import.meta.url, which
    // CommonJS does not have: give it the bundle's own URL.
    define: { 'import.meta.url': '__osprey_import_meta_url' },
    banner: { js: "const __osprey_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  writeBundle(CANARY_RUNTIME_BUNDLE, out.outputFiles[0].contents);
  return CANARY_RUNTIME_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCanaryRuntime({ ifStale: process.argv.includes('--if-stale') });
}
