// A blueprint turned into a canary, without React: how each parameter is edited (its kind, from
// its default), the form's text read back into parameter values, and the code zip with the script
// where the blueprint's runtime looks for it.
import { strToU8, zipSync } from 'fflate';
import { render, type Blueprint, type BlueprintParam } from '../../../src/services/synthetics/blueprints/index.ts';

export type ParamKind = 'text' | 'number' | 'boolean' | 'lines' | 'json';

/** A parameter is edited like its default: a list of strings one per line, objects as JSON. */
export function paramKind(p: BlueprintParam): ParamKind {
  const d = p.default;
  if (typeof d === 'number') return 'number';
  if (typeof d === 'boolean') return 'boolean';
  if (typeof d === 'string') return 'text';
  if (Array.isArray(d) && d.every((x) => typeof x === 'string')) return 'lines';
  return 'json';
}

/** The default as the form field shows it. */
export function fieldText(p: BlueprintParam): string {
  const kind = paramKind(p);
  if (kind === 'lines') return (p.default as string[]).join('\n');
  if (kind === 'json') return JSON.stringify(p.default, null, 2);
  return String(p.default);
}

export class ParamError extends Error {
  override name = 'ValidationException';
}

/** A field's text back into the parameter's value; `raw` is null for an unchecked checkbox. */
export function paramValue(p: BlueprintParam, raw: string | null): unknown {
  const text = (raw ?? '').trim();
  switch (paramKind(p)) {
    case 'boolean':
      return raw !== null;
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new ParamError(`${p.name} must be a number.`);
      return n;
    }
    case 'lines': {
      const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
      if (lines.length === 0) throw new ParamError(`${p.name} needs at least one value.`);
      return lines;
    }
    case 'json':
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new ParamError(`${p.name} is not valid JSON: ${(e as Error).message}`);
      }
    default:
      if (text === '') throw new ParamError(`${p.name} is required.`);
      return text;
  }
}

/** The code zip: the rendered script at the blueprint's path (nodejs/node_modules/… for Puppeteer). */
export function blueprintZip(bp: Blueprint, params: Record<string, unknown>): Uint8Array {
  return zipSync({ [bp.fileName]: strToU8(render(bp.name, params)) }, { level: 9 });
}

/** Whether the script compares screenshots with a base run: such a canary takes its first run as the base. */
export const isVisual = (bp: Blueprint): boolean => /withVisualCompareWithBaseRun\(\s*true\s*\)/.test(bp.source);

/** A runtime version's family, as its name spells it (syn-nodejs-playwright-…, syn-nodejs-puppeteer-…). */
export const familyOf = (version: string): string => (/playwright/.test(version) ? 'playwright' : /puppeteer/.test(version) ? 'puppeteer' : 'other');

/** Newest first: syn-nodejs-puppeteer-13.1 before 9.1, by the numbers at the end. */
export function newestFirst(versions: string[]): string[] {
  const num = (v: string) => (/(\d+)\.(\d+)$/.exec(v) ?? ['', '0', '0']).slice(1).map(Number);
  return [...versions].sort((a, b) => {
    const [x, y] = [num(a), num(b)];
    return y[0]! - x[0]! || y[1]! - x[1]!;
  });
}

export const SCHEDULES = [
  ['rate(0 minute)', 'Run once'],
  ['rate(1 minute)', 'Every minute'],
  ['rate(5 minutes)', 'Every 5 minutes'],
  ['rate(15 minutes)', 'Every 15 minutes'],
  ['rate(1 hour)', 'Every hour'],
  ['cron', 'Cron expression…'],
] as const;
