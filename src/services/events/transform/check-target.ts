/**
 * PutTargets checks of what a target will receive: at most one of Input, InputPath and
 * InputTransformer, each well-formed. Refusals are ValidationExceptions, as AWS sends them.
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import { TransformerError } from './errors.ts';
import { compileInputTransformer } from './input-transformer.ts';
import { parseInputPath } from './input-path.ts';

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function checkTargetInput(t: Target): void {
  const id = t.Id ?? '';
  const given = [t.Input, t.InputPath, t.InputTransformer].filter((v) => v !== undefined).length;
  if (given > 1) {
    // Text recorded against AWS (LocalStack test_events_inputs snapshot).
    throw new TransformerError(`Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`);
  }
  // The API reference calls Input "Valid JSON text passed to the target".
  if (t.Input !== undefined && !isJsonText(t.Input)) throw new TransformerError(`Input for target ${id} is not a valid JSON text.`);
  if (t.InputPath !== undefined && !parseInputPath(t.InputPath)) {
    throw new TransformerError(`InputPath for target ${id} is not a valid JSON path: ${t.InputPath}.`);
  }
  if (t.InputTransformer !== undefined) compileInputTransformer(t.InputTransformer, id);
}
