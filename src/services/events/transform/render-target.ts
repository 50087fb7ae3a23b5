/**
 * The body one target receives for one event: its Input, the part of the event its InputPath
 * selects, its InputTransformer's rendering, or the event itself. Throws where AWS does not deliver.
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import { compileInputTransformer } from './input-transformer.ts';
import { evaluateInputPath, parseInputPath } from './input-path.ts';

export interface DeliveryContext {
  ruleArn: string;
  ruleName: string;
  /** Epoch ms at which EventBridge accepted the event. */
  ingestedAt: number;
}

/** `eventJson` is the event exactly as built; it is passed through untouched where AWS does. */
export function renderTargetInput(target: Target, eventJson: string, ctx: DeliveryContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const path = parseInputPath(target.InputPath);
    if (!path) throw new Error(`InputPath ${target.InputPath} is not a JSON path EventBridge accepts`);
    if (path.steps.length === 0) return eventJson;
    const value = evaluateInputPath(JSON.parse(eventJson) as unknown, path);
    if (value === undefined) throw new Error(`InputPath ${target.InputPath} selects nothing from the event`);
    return JSON.stringify(value);
  }
  if (target.InputTransformer !== undefined) {
    const event = JSON.parse(eventJson) as Record<string, unknown>;
    const compiled = compileInputTransformer(target.InputTransformer, target.Id);
    const body = compiled.render(event, { ruleArn: ctx.ruleArn, ruleName: ctx.ruleName, ingestionTime: ctx.ingestedAt });
    if (body === undefined) throw new Error('the filled-in InputTemplate is not valid JSON, and EventBridge does not deliver such input');
    return body;
  }
  return eventJson;
}
