/**
 * InputTransformer: checked once at PutTargets (compile) and rendered per delivery.
 * Rendering gives the exact body bytes the target receives, or undefined where AWS drops the event
 * (a JSON template whose filled-in text is not JSON).
 */
import type { InputTransformer } from '@aws-sdk/client-eventbridge';
import { TransformerError } from './errors.ts';
import { evaluateInputPath, parseInputPath, type InputPath } from './input-path.ts';
import { fillTemplate, parseTemplate, type ParsedTemplate } from './template.ts';

/** eb-transform-target-input "Predefined variables": usable without an InputPathsMap entry. */
export const PREDEFINED_VARIABLES: readonly string[] = [
  'aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time',
  'aws.events.event', 'aws.events.event.json',
];

/** API reference: "You can have as many as 100 key-value pairs." */
export const MAX_INPUT_PATHS = 100;
/** The model's pattern for InputTransformerPathKey, anchored (Smithy patterns are not). */
const KEY = /^[A-Za-z0-9_-]{1,256}$/;

export interface RuleContext {
  ruleArn: string;
  ruleName: string;
  /** Epoch ms at which EventBridge accepted the event. */
  ingestionTime: number;
}

export interface CompiledTransformer {
  readonly template: ParsedTemplate;
  readonly paths: ReadonlyMap<string, InputPath>;
  render(event: Record<string, unknown>, rule: RuleContext): string | undefined;
}

function compilePaths(map: Record<string, string>, targetId: string): Map<string, InputPath> {
  const entries = Object.entries(map);
  if (entries.length > MAX_INPUT_PATHS) {
    throw new TransformerError(`InputPathsMap for target ${targetId} has ${entries.length} entries; at most ${MAX_INPUT_PATHS} are allowed.`);
  }
  const paths = new Map<string, InputPath>();
  for (const [key, text] of entries) {
    // The API reference: keys "cannot start with AWS." — the predefined variables own that prefix.
    if (key.toLowerCase().startsWith('aws.')) throw new TransformerError(`InputPathsMap for target ${targetId} contains reserved key ${key}.`);
    if (!KEY.test(key)) throw new TransformerError(`InputPathsMap for target ${targetId} contains invalid key ${key}.`);
    const path = parseInputPath(text);
    if (!path) throw new TransformerError(`InputPathsMap for target ${targetId} contains invalid JSON path ${text} for key ${key}.`);
    paths.set(key, path);
  }
  return paths;
}

/** Every placeholder filled with a stand-in of its kind must still leave JSON behind. */
function isJsonShaped(template: ParsedTemplate): boolean {
  const filled = fillTemplate(template, () => 0);
  try {
    JSON.parse(filled);
    return true;
  } catch {
    return false;
  }
}

/** `aws.events.event`: the envelope without detail, as AWS renders it (camelCase detailType, ingestion time). */
function envelopeWithoutDetail(event: Record<string, unknown>, ingestion: string): Record<string, unknown> {
  return {
    id: event.id, account: event.account, detailType: event['detail-type'], time: ingestion,
    source: event.source, region: event.region, resources: event.resources, version: event.version,
  };
}

function predefined(name: string, event: Record<string, unknown>, rule: RuleContext): unknown {
  const ingestion = new Date(rule.ingestionTime).toISOString();
  switch (name) {
    case 'aws.events.rule-arn': return rule.ruleArn;
    case 'aws.events.rule-name': return rule.ruleName;
    case 'aws.events.event.ingestion-time': return ingestion;
    case 'aws.events.event': return envelopeWithoutDetail(event, ingestion);
    default: return event;
  }
}

export function compileInputTransformer(t: InputTransformer, targetId = ''): CompiledTransformer {
  const paths = compilePaths(t.InputPathsMap ?? {}, targetId);
  const template = parseTemplate(t.InputTemplate ?? '');
  for (const part of template.parts) {
    if ('name' in part && !paths.has(part.name) && !PREDEFINED_VARIABLES.includes(part.name)) {
      throw new TransformerError(`InputTemplate for target ${targetId} contains invalid placeholder ${part.name}.`);
    }
  }
  if (template.json && !isJsonShaped(template)) {
    throw new TransformerError(`InputTemplate for target ${targetId} is not a valid JSON text.`);
  }
  return {
    template,
    paths,
    render(event, rule) {
      const lookup = (name: string): unknown => {
        const path = paths.get(name);
        return path ? evaluateInputPath(event, path) : predefined(name, event, rule);
      };
      const body = fillTemplate(template, lookup);
      if (!template.json) return body;
      try {
        JSON.parse(body);
        return body;
      } catch {
        return undefined;
      }
    },
  };
}
