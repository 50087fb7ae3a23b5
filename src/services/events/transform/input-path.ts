/**
 * The JSONPath subset EventBridge evaluates for InputPath and InputPathsMap values
 * (eb-transform-target-input: dot notation, dashes, underscores, alphanumerics, forward slashes,
 * array indices and wildcards). Bracket notation for names is not accepted, as the API reference
 * says ("You must use JSON dot notation, not bracket notation").
 */

export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export interface InputPath {
  text: string;
  steps: PathStep[];
  /** A wildcard makes the result a list of every match, as JSONPath does. */
  multi: boolean;
}

const STEP = /\.([A-Za-z0-9_\-/]+)|\.\*|\[(\d+)\]|\[\*\]/y;

/** undefined when `text` is outside the subset. */
export function parseInputPath(text: string): InputPath | undefined {
  if (!text.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  let at = 1;
  while (at < text.length) {
    STEP.lastIndex = at;
    const m = STEP.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else steps.push({ kind: 'wildcard' });
    at = STEP.lastIndex;
  }
  return { text, steps, multi: steps.some((s) => s.kind === 'wildcard') };
}

function children(value: unknown, step: PathStep): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  if (step.kind === 'wildcard') return Array.isArray(value) ? value : Object.values(value);
  if (step.kind === 'index') return Array.isArray(value) && step.index < value.length ? [value[step.index]] : [];
  if (Array.isArray(value) || !Object.hasOwn(value, step.key)) return [];
  return [(value as Record<string, unknown>)[step.key]];
}

/** The selected value; undefined when the event has nothing at that path. */
export function evaluateInputPath(event: unknown, path: InputPath): unknown {
  let current: unknown[] = [event];
  for (const step of path.steps) current = current.flatMap((v) => children(v, step));
  if (path.multi) return current.length > 0 ? current : undefined;
  return current[0];
}

/** Convenience for one-off selections; throws on a path outside the subset. */
export function selectInputPath(event: unknown, path: string): unknown {
  const parsed = parseInputPath(path);
  if (!parsed) throw new Error(`${path} is not a JSON path EventBridge accepts`);
  return evaluateInputPath(event, parsed);
}
