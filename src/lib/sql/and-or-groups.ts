/**
 * node-sql-parser's Trino grammar gives AND and OR the same precedence and groups them to the
 * right (`a AND b OR c` arrives as `a AND (b OR c)`). Both SQL compilers built on it (Athena,
 * CloudTrail Lake) read an unparenthesised chain back in source order with this and regroup it as
 * SQL defines: an OR of AND-groups. Iterative, since generated filters can chain thousands of terms.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- node-sql-parser's AST is loosely typed */
type Node = any;

const isChainLink = (n: Node): boolean =>
  n?.type === 'binary_expr' && ['AND', 'OR'].includes(String(n.operator).toUpperCase()) && !n.parentheses;

/** The chain rooted at `node` (an AND or OR binary_expr) as OR-groups of AND-ed operands, in source order. */
export function andOrGroups(node: Node): Node[][] {
  const operands: Node[] = [];
  const ops: string[] = [];
  const stack: Node[] = [];
  let n: Node = node;
  while (stack.length > 0 || n !== undefined) {
    if (n !== undefined && (n === node || isChainLink(n))) {
      stack.push(n);
      n = n.left;
      continue;
    }
    if (n !== undefined) {
      operands.push(n);
      n = undefined;
      continue;
    }
    const top = stack.pop();
    ops.push(String(top.operator).toUpperCase());
    n = top.right;
  }
  const groups: Node[][] = [[]];
  operands.forEach((o, i) => {
    groups[groups.length - 1]!.push(o);
    if (ops[i] === 'OR') groups.push([]);
  });
  return groups;
}
