/**
 * Osprey's canary blueprints — its own scripts, behaving like AWS's documented blueprints — for
 * `osprey canary init <blueprint>` and the console's create form. Dependency-free on purpose: the
 * web bundle imports this list.
 */
import { api } from './api.ts';
import { fill, type Blueprint } from './blueprint.ts';
import { brokenLink } from './broken-link.ts';
import { guiWorkflow } from './gui-workflow.ts';
import { heartbeat } from './heartbeat.ts';
import { visual } from './visual.ts';

export type { Blueprint, BlueprintParam } from './blueprint.ts';

export const blueprints: readonly Blueprint[] = [heartbeat, api, brokenLink, visual, guiWorkflow];

export function findBlueprint(name: string): Blueprint | undefined {
  return blueprints.find((b) => b.name === name);
}

/** The blueprint's script with its parameters filled in (defaults for those not given). */
export function render(name: string, params: Record<string, unknown> = {}): string {
  const bp = findBlueprint(name);
  if (!bp) throw new Error(`Unknown blueprint ${name}; known: ${blueprints.map((b) => b.name).join(', ')}`);
  return fill(bp, params);
}
