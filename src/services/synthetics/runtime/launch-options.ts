/**
 * The Chromium flags and profile directory every canary browser starts with. The
 * `--osprey-canary-run=<runId>` switch (Chromium ignores switches it does not know) marks the run's
 * browser processes so the parent can prove none outlives the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The marker switch on the command line of a run's browser processes. */
export function runMarker(runId: string): string {
  return `--osprey-canary-run=${runId}`;
}

export function chromiumArgs(runId: string): string[] {
  return [
    // Root in a container: no setuid sandbox, and /dev/shm is often tiny.
    '--no-sandbox',
    '--disable-dev-shm-usage',
    // Less background work: canaries share the machine's cores with the server. One process for
    // browser, GPU, network, storage and renderer (with no zygote to fork them from): a heartbeat
    // run's CPU, machine-wide, goes from ~2.9 s to ~2.0 s (measured; --no-zygote alone costs ~1 s
    // more, every process then initialising on its own). Headless Chromium on Lambda, where AWS
    // runs canaries, is commonly run this way too.
    '--single-process',
    '--no-zygote',
    '--disable-gpu',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-sync',
    '--no-first-run',
    '--mute-audio',
    '--hide-scrollbars',
    // Same glyph rasterisation run to run, so visual comparisons do not see font noise.
    '--font-render-hinting=none',
    runMarker(runId),
  ];
}

/**
 * A script's own `args` replace the defaults (AWS's semantics), but a browser run as root needs
 * --no-sandbox, and the run marker must stay: those are added back when missing.
 */
export function withRequiredArgs(args: readonly string[] | undefined, runId: string): string[] | undefined {
  if (!args) return undefined;
  const required = ['--no-sandbox', '--disable-dev-shm-usage', runMarker(runId)];
  return [...args, ...required.filter((r) => !args.includes(r))];
}

/** AWS's default canary viewport. */
export const DEFAULT_VIEWPORT = { width: 1920, height: 1080, deviceScaleFactor: 1 };

/** The prefix of every temporary directory a run makes, so the parent can remove a killed run's. */
export function runTempPrefix(runId: string): string {
  return `osprey-canary-${runId.replace(/[^\w-]/g, '_')}-`;
}

/** A fresh profile directory named after the run (removed when the browser closes). */
export function profileDir(runId: string): string {
  return mkdtempSync(join(tmpdir(), `${runTempPrefix(runId)}profile-`));
}

export function removeProfile(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
}
