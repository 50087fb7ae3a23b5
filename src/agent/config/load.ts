/**
 * Reads and checks an agent config; errors name the key path the way the agent's config-translator
 * does ("Under path : /metrics/metrics_collected/cpu | Error : …"), one line per problem.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type AgentConfigJson } from './schema.ts';
import { withoutUnsupported } from './unsupported.ts';

export class AgentConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'AgentConfigError';
  }
}

const pointer = (path: readonly PropertyKey[]): string => `/${path.map(String).join('/')}`;

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Under path : ${pointer(issue.path)} | Error : Additional property ${issue.keys.join(', ')} is not allowed`;
  }
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message) && issue.path.length > 0) {
    return `Under path : ${pointer(issue.path.slice(0, -1))} | Error : ${String(issue.path.at(-1))} is required`;
  }
  return `Under path : ${pointer(issue.path)} | Error : ${issue.message}`;
}

/** Checks a parsed config; throws AgentConfigError listing every problem. */
export function checkAgentConfig(json: unknown): AgentConfigJson {
  const { problems, rest } = withoutUnsupported(json);
  const r = configSchema.safeParse(rest);
  if (!r.success) problems.push(...r.error.issues.map(describe));
  if (problems.length > 0 || !r.success) throw new AgentConfigError(problems);
  if (r.data.metrics?.metrics_collected.container && r.data.logs?.metrics_collected?.container) {
    throw new AgentConfigError(['Under path : /logs/metrics_collected/container | Error : container is also under /metrics/metrics_collected; configure it once']);
  }
  if (!r.data.metrics && !r.data.logs) throw new AgentConfigError(['Under path : / | Error : the config collects nothing: add a "metrics" or "logs" section']);
  return r.data;
}

/** Reads a config file (JSON). */
export function loadAgentConfig(file: string): AgentConfigJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AgentConfigError([`Cannot read the config file ${file}: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AgentConfigError([`The config file ${file} is not valid JSON: ${(e as Error).message}`]);
  }
  return checkAgentConfig(json);
}
