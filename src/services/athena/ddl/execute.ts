/**
 * Runs one DDL or utility statement (ddl/parser.ts) against the metastore and answers its result
 * (empty for CREATE/DROP/ALTER, rows for MSCK and SHOW/DESCRIBE).
 */
import type { StoredResult } from '../results.ts';
import type { DdlContext } from './context.ts';
import { addPartitions, dropPartitions, msckRepair, showPartitions } from './partitions.ts';
import { describe, showColumns, showCreateTable, showDatabases, showTables } from './show.ts';
import type { DdlStatement } from './statements.ts';
import { createDatabase, createTable, createView, dropDatabase, dropTable } from './tables.ts';

const EMPTY: StoredResult = { columns: [], rows: [] };

export async function executeDdl(cx: DdlContext, s: DdlStatement): Promise<StoredResult> {
  switch (s.kind) {
    case 'create-database': await createDatabase(cx, s); return EMPTY;
    case 'drop-database': await dropDatabase(cx, s); return EMPTY;
    case 'create-table': await createTable(cx, s); return EMPTY;
    case 'drop-table': case 'drop-view': await dropTable(cx, s); return EMPTY;
    case 'create-view': await createView(cx, s); return EMPTY;
    case 'msck-repair': return msckRepair(cx, s);
    case 'add-partitions': await addPartitions(cx, s); return EMPTY;
    case 'drop-partitions': await dropPartitions(cx, s); return EMPTY;
    case 'show-databases': return showDatabases(cx, s);
    case 'show-tables': case 'show-views': return showTables(cx, s);
    case 'show-partitions': return showPartitions(cx, s);
    case 'show-columns': return showColumns(cx, s);
    case 'show-create-table': return showCreateTable(cx, s);
    case 'describe': return describe(cx, s);
  }
}
