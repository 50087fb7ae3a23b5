/**
 * Name resolution. Every relation in a FROM clause (a catalog table, a CTE, a subquery, an UNNEST)
 * gets a generated ClickHouse alias (`r0`, `r1`…); a column the user names resolves only to one of
 * the columns those relations expose, as `` `rN`.`col` ``. Names are case-insensitive, as in Trino.
 * A name that resolves nowhere is an error — it never falls through to ClickHouse, where it could
 * name an engine table or column outside the caller's scope.
 */
import { fail, type Node } from './errors.ts';
import { ident } from './sql-text.ts';
import type { Typed } from './types.ts';

export interface Column {
  /** The Athena name (as declared or aliased; compared lower-cased). */
  name: string;
  type: string;
  /** ClickHouse column name inside the relation. */
  chName: string;
  /** An ARRAY JOIN alias: referenced unqualified (it belongs to no subquery). */
  bare?: boolean;
  /** A pseudo-column (`"$path"`): resolvable by name, left out of `SELECT *`. */
  hidden?: boolean;
}

export interface Relation {
  /** The name the query qualifies columns with (alias, else the table name), lower-cased. */
  alias: string;
  /** Generated ClickHouse alias. */
  chAlias: string;
  columns: Column[];
  /** Columns joined with USING: unqualified, they resolve to the left side's column only. */
  usingHidden?: Set<string>;
}

export class Scope {
  readonly relations: Relation[] = [];

  constructor(readonly outer?: Scope) {}

  add(rel: Relation): void {
    if (rel.alias !== '' && this.relations.some((r) => r.alias === rel.alias)) {
      fail('SYNTAX_ERROR', null, `Duplicate relation alias '${rel.alias}'`);
    }
    this.relations.push(rel);
  }

  relation(alias: string): Relation | undefined {
    const key = alias.toLowerCase();
    return key === '' ? undefined : this.relations.find((r) => r.alias === key);
  }

  /** The column `name`, qualified by `qualifier` when given; undefined when there is none. */
  find(name: string, qualifier: string | undefined, node: Node): Typed | undefined {
    const key = name.toLowerCase();
    if (qualifier !== undefined) {
      const rel = this.relation(qualifier);
      const col = rel?.columns.find((c) => c.name.toLowerCase() === key);
      return rel && col ? bind(rel, col) : undefined;
    }
    const hits: Typed[] = [];
    for (const rel of this.relations) {
      if (rel.usingHidden?.has(key)) continue;
      const col = rel.columns.find((c) => c.name.toLowerCase() === key);
      if (col) hits.push(bind(rel, col));
    }
    if (hits.length > 1) fail('SYNTAX_ERROR', node, `Column '${name}' is ambiguous`);
    return hits[0];
  }

  /** Whether an enclosing query could resolve the name (a correlated reference, which we refuse). */
  resolvesOutside(name: string, qualifier: string | undefined, node: Node): boolean {
    for (let s = this.outer; s; s = s.outer) if (s.find(name, qualifier, node)) return true;
    return false;
  }
}

export const bind = (rel: Relation, col: Column): Typed =>
  ({ sql: col.bare ? ident(col.chName) : `${ident(rel.chAlias)}.${ident(col.chName)}`, type: col.type, name: col.name });
