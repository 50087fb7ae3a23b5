/**
 * Row locks where the engines differ. SQLite has one writer at a time, so a read inside a write
 * transaction already sees what no one else can change; PostgreSQL runs writers concurrently and
 * needs the rows locked (FOR UPDATE) or skipped when another worker holds them (SKIP LOCKED: two
 * nodes claiming due work get disjoint rows instead of waiting for each other).
 */
import type { Sql } from './types.ts';

/** Appended to a SELECT inside a transaction whose writes depend on what it read. */
export const forUpdate = (sql: Sql): string => (sql.dialect === 'postgres' ? ' FOR UPDATE' : '');

/** Appended to the SELECT that picks rows to claim, so concurrent claimers take different rows. */
export const skipLocked = (sql: Sql): string => (sql.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '');
