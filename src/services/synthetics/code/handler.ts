/**
 * Where a canary's handler file lives in its code zip, as AWS's runtimes look for it. Puppeteer
 * runtimes load `nodejs/node_modules/<path>.js` (or `.mjs`); newer ones and the Playwright runtimes
 * also accept the file at `<path>.js|.mjs` from the zip's root. Pure, so the server validates the
 * zip with the same rule the child process loads it by.
 */
import type { RuntimeFamily } from '../runtime/job.ts';

export interface HandlerRef {
  /** The file path without extension, e.g. `pageLoadBlueprint` or `myFolder/canary`. */
  path: string;
  /** The exported function's name. */
  exportName: string;
}

/** Splits `file.handler` / `dir/file.handler` at its last dot; undefined when it cannot be split. */
export function parseHandler(handler: string): HandlerRef | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) return undefined;
  const path = handler.slice(0, dot).replace(/\.(m?js)$/, '');
  const exportName = handler.slice(dot + 1);
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) return undefined;
  if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '')) return undefined;
  return { path, exportName };
}

/** Zip entry names to try for the handler, in the order the runtime tries them. */
export function handlerCandidates(family: RuntimeFamily, ref: HandlerRef): string[] {
  const nested = [`nodejs/node_modules/${ref.path}.js`, `nodejs/node_modules/${ref.path}.mjs`];
  const root = [`${ref.path}.js`, `${ref.path}.mjs`];
  return family === 'puppeteer' ? [...nested, ...root] : [...root, ...nested];
}

/** The first candidate present among the zip's entry names. */
export function findHandlerEntry(family: RuntimeFamily, ref: HandlerRef, entries: ReadonlySet<string>): string | undefined {
  return handlerCandidates(family, ref).find((c) => entries.has(c));
}
