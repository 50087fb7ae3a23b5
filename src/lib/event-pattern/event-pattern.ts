/**
 * EventBridge event patterns as a pure module (shared by EventBridge rules and SNS filter policies):
 * compile once with AWS's validation and messages, then match events as objects or as JSON text.
 * Semantics follow the EventBridge content-filtering docs and aws/event-ruler, AWS's matcher.
 */
import { compilePatternTree, type PatternNode } from './compile.ts';
import { parseEventJson } from './event-json.ts';
import { patternKeys, type PatternKeys } from './keys.ts';
import { matchTree } from './match.ts';

export { InvalidEventPattern } from './errors.ts';
export type { PatternKeys } from './keys.ts';

export interface CompiledPattern {
  matches(event: unknown): boolean;
  /** matching on the raw JSON text where number spelling matters */
  matchesJson(eventJson: string): boolean;
  readonly keys: PatternKeys;
}

class Compiled implements CompiledPattern {
  readonly keys: PatternKeys;

  constructor(private readonly root: PatternNode) {
    this.keys = patternKeys(root);
  }

  matches(event: unknown): boolean {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
    return matchTree(this.root, event);
  }

  matchesJson(eventJson: string): boolean {
    const event = parseEventJson(eventJson);
    return event !== undefined && matchTree(this.root, event);
  }
}

/** Compiles pattern text; throws InvalidEventPattern with AWS's message when EventBridge would refuse it. */
export function compileEventPattern(text: string): CompiledPattern {
  return new Compiled(compilePatternTree(text));
}
