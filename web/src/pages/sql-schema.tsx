// The schema browser: databases → tables → columns with their types, read once per page
// (ListDatabases, then ListTableMetadata per database, which carries the columns, so no
// GetTableMetadata per table). A name inserts itself into the editor at the caret (tables
// qualified with their database, so the text runs whatever the context database is); the arrows
// open and close the levels.
import { useState } from 'react';
import { paginateListDatabases, paginateListTableMetadata } from '@aws-sdk/client-athena';
import { collect } from '../aws.ts';
import { AsyncView, useAsync, type Async } from '../ui.tsx';
import { CATALOG, useAthena } from './sql-api.ts';
import { allColumns, type Column, type Database, type Schema, type Table } from './sql-catalog.ts';

const columnsOf = (cs: { Name?: string; Type?: string }[] | undefined): Column[] => (cs ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '' }));

export function useSchema(): Async<Schema> {
  const athena = useAthena();
  return useAsync(async () => {
    const dbs = await collect(paginateListDatabases({ client: athena }, { CatalogName: CATALOG }), (p) => p.DatabaseList);
    return Promise.all(dbs.map(async (d): Promise<Database> => {
      const tables = await collect(paginateListTableMetadata({ client: athena }, { CatalogName: CATALOG, DatabaseName: d.Name }), (p) => p.TableMetadataList);
      return {
        name: d.Name ?? '', description: d.Description,
        tables: tables.map((t) => ({ name: t.Name ?? '', columns: columnsOf(t.Columns), partitionKeys: columnsOf(t.PartitionKeys) })),
      };
    }));
  }, [athena]);
}

function TableNode({ db, table, onInsert }: { db: string; table: Table; onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="tree-node">
      <div>
        <button type="button" className="tree-toggle" aria-expanded={open} aria-label={`Columns of ${db}.${table.name}`} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
        <button type="button" className="tree-name" title={`Insert ${db}.${table.name}`} onClick={() => onInsert(`${db}.${table.name}`)}>{table.name}</button>
      </div>
      {open && (
        <ul className="tree" aria-label={`Columns of ${table.name}`}>
          {allColumns(table).map((c) => (
            <li key={c.name} className="tree-node">
              <button type="button" className="tree-name" title={`Insert ${c.name}`} onClick={() => onInsert(c.name)}>{c.name}</button>{' '}
              <span className="muted">{c.type}{table.partitionKeys.includes(c) ? ' (partition)' : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function DatabaseNode({ db, initiallyOpen, onInsert }: { db: Database; initiallyOpen: boolean; onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <li className="tree-node">
      <div>
        <button type="button" className="tree-toggle" aria-expanded={open} aria-label={`Tables of ${db.name}`} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
        <button type="button" className="tree-name" title={db.description} onClick={() => setOpen(!open)}><strong>{db.name}</strong></button>
      </div>
      {open && (db.tables.length === 0 ? <div className="muted tree">No tables.</div> : (
        <ul className="tree" aria-label={`Tables of ${db.name}`}>
          {db.tables.map((t) => <TableNode key={t.name} db={db.name} table={t} onInsert={onInsert} />)}
        </ul>
      ))}
    </li>
  );
}

export function SchemaBrowser({ schema, database, onInsert }: { schema: Async<Schema>; database: string; onInsert: (text: string) => void }) {
  return (
    <div className="panel">
      <h3>Data</h3>
      <AsyncView state={schema} isEmpty={(s) => s.length === 0} empty="No databases.">
        {(s) => (
          <ul className="tree root" aria-label="Schema">
            {s.map((d) => <DatabaseNode key={d.name} db={d} initiallyOpen={d.name === database} onInsert={onInsert} />)}
          </ul>
        )}
      </AsyncView>
    </div>
  );
}
