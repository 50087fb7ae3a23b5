/**
 * InputTemplate text split into literal text and `<placeholder>`s, each placeholder marked with the
 * context it sits in, because EventBridge renders a value differently by context
 * (eb-transform-target-input "Common issues", and real-AWS recordings in LocalStack's
 * test_events_inputs snapshot):
 * - JSON template, outside quotes: strings gain quotes; objects, arrays, numbers, booleans go in as
 *   JSON; a missing value becomes "".
 * - JSON template, inside quotes: the value goes in unescaped; an object or array therefore breaks
 *   the JSON and AWS silently does not deliver the event.
 * - String template: the value goes in unescaped; objects and arrays lose their quotes
 *   ({acc_id:0a787ecb-4015,sf_id:baz}, [HIGH]); a missing value becomes nothing.
 */

export type PlaceholderContext = 'json-value' | 'in-json-string' | 'text';
export type TemplatePart = { literal: string } | { name: string; context: PlaceholderContext };

export interface ParsedTemplate {
  /** A template whose first non-blank character opens an object or array is JSON. */
  json: boolean;
  parts: TemplatePart[];
}

/** `<name>` at `at`, or undefined when that `<` does not open a placeholder. */
function placeholderAt(text: string, at: number): string | undefined {
  const end = text.indexOf('>', at + 1);
  if (end === -1) return undefined;
  const name = text.slice(at + 1, end);
  return name.includes('<') ? undefined : name;
}

export function parseTemplate(text: string): ParsedTemplate {
  const json = /^\s*[{[]/.test(text);
  const parts: TemplatePart[] = [];
  let literal = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const name = c === '<' ? placeholderAt(text, i) : undefined;
    if (name !== undefined) {
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ name, context: !json ? 'text' : inString ? 'in-json-string' : 'json-value' });
      i += name.length + 1;
      continue;
    }
    if (json && inString && c === '\\') {
      // An escaped character (\" in particular) neither opens nor closes a string.
      literal += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (json && c === '"') inString = !inString;
    literal += c;
  }
  if (literal) parts.push({ literal });
  return { json, parts };
}

/** The text one value becomes in one context; `undefined` is a path the event does not have. */
export function renderValue(value: unknown, context: PlaceholderContext): string {
  if (value === undefined) return context === 'json-value' ? '""' : '';
  if (typeof value === 'string') return context === 'json-value' ? `"${value}"` : value;
  const json = JSON.stringify(value);
  const composite = typeof value === 'object' && value !== null;
  return composite && context === 'text' ? json.replaceAll('"', '') : json;
}

/** The template with every placeholder replaced by `lookup(name)` rendered for its context. */
export function fillTemplate(template: ParsedTemplate, lookup: (name: string) => unknown): string {
  let out = '';
  for (const part of template.parts) {
    out += 'literal' in part ? part.literal : renderValue(lookup(part.name), part.context);
  }
  return out;
}
