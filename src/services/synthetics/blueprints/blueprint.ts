/**
 * The shape of a canary blueprint: a canary script written against AWS's Synthetics APIs, with
 * `{{NAME}}` placeholders that render() fills with JSON literals (so any value is a valid,
 * injection-free JavaScript expression). No node: imports here: the console bundles this list.
 */
import type { RuntimeFamily } from '../runtime/job.ts';

export interface BlueprintParam {
  name: string;
  description: string;
  default: unknown;
}

export interface Blueprint {
  name: string;
  title: string;
  description: string;
  runtimeFamily: RuntimeFamily;
  /** Where the script goes in the code zip. */
  fileName: string;
  /** The canary's Handler for that file. */
  handler: string;
  params: BlueprintParam[];
  /** The script text with its placeholders. */
  source: string;
}

/** Fills every `{{NAME}}` with the JSON of params[NAME] (or the parameter's default). */
export function fill(bp: Blueprint, params: Record<string, unknown> = {}): string {
  for (const key of Object.keys(params)) {
    if (!bp.params.some((p) => p.name === key)) throw new Error(`Blueprint ${bp.name} has no parameter ${key}`);
  }
  return bp.source.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, name: string) => {
    const param = bp.params.find((p) => p.name === name);
    if (!param) return whole;
    return JSON.stringify(params[name] ?? param.default);
  });
}
