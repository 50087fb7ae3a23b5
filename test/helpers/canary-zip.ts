// Canary code zips for the Synthetics tests: a script at the path its runtime loads it from.
import { zipSync, strToU8 } from 'fflate';

/** A zip with `files` (path → text). */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [p, strToU8(t)])));
}

/** A puppeteer-runtime zip: the script at nodejs/node_modules/<name>.js. */
export const puppeteerZip = (name: string, source: string): Uint8Array => zipOf({ [`nodejs/node_modules/${name}.js`]: source });
