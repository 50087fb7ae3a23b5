// "Open in SQL" links from other pages. The SQL page keeps its state in the URL (query, workgroup,
// database, execution), so a link with a query is all another page needs; this file imports no SDK
// client, so linking pages don't pull the Athena client into their chunks.
import { href } from '../router.ts';

/** Quotes a string literal in Trino/Athena SQL ('' escapes a quote). */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The SQL page opening with `query` in the editor; the page runs a linked query once on open. */
export const sqlLink = (query: string, database?: string): string => href('/sql', { query, db: database });

/** A log group's latest events, newest first. */
export const logGroupSql = (group: string): string =>
  sqlLink(`SELECT timestamp, message FROM osprey.logs WHERE log_group = ${sqlString(group)} ORDER BY timestamp DESC LIMIT 100`);

/** CloudTrail's event history, newest first, in the columns of Athena's CloudTrail table. */
export const cloudTrailSql = (): string =>
  sqlLink('SELECT eventtime, eventname, eventsource, useridentity FROM osprey.cloudtrail ORDER BY eventtime DESC LIMIT 100');
