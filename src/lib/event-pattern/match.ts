/**
 * Matching an event against a compiled pattern tree. Arrays are "crushed" as in event-ruler: an
 * event array stands for its elements (nested arrays flattened), and every field under one pattern
 * node must be satisfied by the same element. An event key with dots ("a.b") is the same path as
 * nested keys, so a lookup that misses falls back to the dotted keys that start with the segment.
 */
import type { PatternNode } from './compile.ts';
import { matchesAny } from './matchers.ts';
import { RawNumber } from './numbers.ts';

const hasOwn = Object.prototype.hasOwnProperty;

export function matchTree(node: PatternNode, v: unknown): boolean {
  if (Array.isArray(v)) return matchArray(node, v);
  if (node.field !== undefined && !matchesAny(node.field, v)) return false;
  const { segs, nodes, ors } = node;
  if (segs !== undefined && nodes !== undefined) {
    for (let i = 0; i < segs.length; i++) if (!matchTree(nodes[i], lookup(v, segs[i]))) return false;
  }
  if (ors !== undefined) {
    for (const group of ors) if (!matchOneOf(group, v)) return false;
  }
  return true;
}

function matchOneOf(alternatives: readonly PatternNode[], v: unknown): boolean {
  for (const alt of alternatives) if (matchTree(alt, v)) return true;
  return false;
}

/** Some element must satisfy the whole node; an array without elements is an absent value. */
function matchArray(node: PatternNode, arr: unknown[]): boolean {
  let sawElement = false;
  const stack: unknown[][] = [arr];
  const at: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const a = stack[top];
    if (at[top] >= a.length) {
      stack.pop();
      at.pop();
      continue;
    }
    const e = a[at[top]++];
    if (Array.isArray(e)) {
      stack.push(e);
      at.push(0);
      continue;
    }
    sawElement = true;
    if (matchTree(node, e)) return true;
  }
  return sawElement ? false : matchTree(node, undefined);
}

function lookup(v: unknown, seg: string): unknown {
  if (typeof v !== 'object' || v === null || v instanceof RawNumber) return undefined;
  const obj = v as Record<string, unknown>;
  if (hasOwn.call(obj, seg)) return obj[seg];
  return dotted(obj, seg);
}

/** {"a.b": 1} seen from segment "a" is {"b": 1}; built only when such keys exist. */
function dotted(obj: Record<string, unknown>, seg: string): unknown {
  let view: Record<string, unknown> | undefined;
  const prefix = `${seg}.`;
  for (const k in obj) {
    if (!hasOwn.call(obj, k) || !k.startsWith(prefix)) continue;
    view ??= Object.create(null) as Record<string, unknown>;
    view[k.slice(prefix.length)] = obj[k];
  }
  return view;
}
