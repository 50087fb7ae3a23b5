/**
 * The runtime's heavy dependencies, loaded on first use from the repository's node_modules (they
 * stay outside the bundle): an API canary never pays for loading puppeteer or playwright.
 * pixelmatch 8 is ESM-only, so it comes through a real dynamic import of its file URL.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const req = createRequire(import.meta.url);

export type Puppeteer = typeof import('puppeteer-core');
export type PlaywrightCore = typeof import('playwright-core');
export type Pixelmatch = typeof import('pixelmatch').default;

export function loadPuppeteer(): Puppeteer {
  return req('puppeteer-core') as Puppeteer;
}

export function loadPlaywright(): PlaywrightCore {
  return req('playwright-core') as PlaywrightCore;
}

export function loadPng(): typeof import('pngjs') {
  return req('pngjs') as typeof import('pngjs');
}

export async function loadPixelmatch(): Promise<Pixelmatch> {
  const url = pathToFileURL(req.resolve('pixelmatch')).href;
  const mod = (await import(url)) as { default: Pixelmatch };
  return mod.default;
}

/** Where the runtime's own copy of a package resolves from (the fallback for user imports). */
export function resolveOwn(specifier: string): string {
  return req.resolve(specifier);
}
