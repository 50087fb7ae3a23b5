#!/usr/bin/env node
// Bundles the agent (src/agent/main.ts → dist/agent.mjs) with esbuild, so `osprey agent` runs plain
// JavaScript: no TypeScript loader, nothing of the server. Run by `npm install` (prepare) and by
// bin/osprey.js before `osprey agent` when the sources are newer than the bundle.
// Usage: node scripts/build-agent.mjs [--if-stale]
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newestMtime, writeBundle } from './lib/bundle-files.mjs';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const AGENT_BUNDLE = join(root, 'dist', 'agent.mjs');


/** Whether the bundle is missing or older than any source it is built from. */
export function agentBundleStale() {
  if (!existsSync(AGENT_BUNDLE)) return true;
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs);
  return sources > statSync(AGENT_BUNDLE).mtimeMs;
}

export async function buildAgent({ ifStale = false } = {}) {
  if (ifStale && !agentBundleStale()) return;
  const { build } = await import('esbuild');
  const out = await build({
    write: false,
    entryPoints: [join(root, 'src', 'agent', 'main.ts')],
    outfile: AGENT_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // CommonJS dependencies bundled into ESM still call require() for Node's own modules.
    banner: { js: "import { createRequire as __osprey_cr } from 'node:module'; const require = __osprey_cr(import.meta.url);" },
    // Less source text for V8 to hold; identifiers kept so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  writeBundle(AGENT_BUNDLE, out.outputFiles[0].contents);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAgent({ ifStale: process.argv.includes('--if-stale') });
}
