#!/usr/bin/env node
// Builds the web console (web/ → web/dist) with Vite and prints the initial bundle size.
// Run by `npm install` (prepare), by `npm start` (scripts/start.mjs, if missing) and by the console
// tests with --if-missing, so nobody needs a separate build command. Usage: node scripts/build-console.mjs [--if-missing | --size]
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
const dist = join(root, 'dist');

/** Gzipped size of what the browser must load before the first page: index.html's scripts, their static imports and CSS. */
export function initialBundleBytes() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const seen = new Set();
  const visit = (ref) => {
    if (seen.has(ref)) return;
    seen.add(ref);
    if (!ref.endsWith('.js')) return;
    const code = readFileSync(join(dist, ref), 'utf8');
    // Static imports only: dynamic import() chunks are the code-split pages, loaded on demand.
    for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+)["']/g)) visit(`assets/${m[1]}`);
  };
  refs.forEach(visit);
  let total = 0;
  for (const ref of seen) total += gzipSync(readFileSync(join(dist, ref))).length;
  return { total, files: [...seen] };
}

/**
 * Builds the console; with ifMissing, only when web/dist has no index.html. Without vite (an
 * `npm install --omit=dev` style install) it warns and returns: the API works without a console.
 */
export async function buildConsole({ ifMissing = false } = {}) {
  if (ifMissing && existsSync(join(dist, 'index.html'))) return;
  let build;
  try {
    ({ build } = await import('vite'));
  } catch {
    console.warn('vite is not installed; skipping the console build');
    return;
  }
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  const { total, files } = initialBundleBytes();
  console.log(`console built: initial JS+CSS ${(total / 1024).toFixed(1)} KiB gzip (${files.length} files)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--size')) {
  // For tests and CI logs: the measured initial bundle as JSON.
  console.log(JSON.stringify(initialBundleBytes()));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildConsole({ ifMissing: process.argv.includes('--if-missing') });
}
