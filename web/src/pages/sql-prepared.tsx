// The workgroup's prepared statements (ListPreparedStatements, then BatchGetPreparedStatement for
// their text): opening one puts `EXECUTE name` in the editor, with a USING list when it has
// parameters. They are made with PREPARE … FROM (or the API) and removed with DEALLOCATE PREPARE.
import { BatchGetPreparedStatementCommand, ListPreparedStatementsCommand } from '@aws-sdk/client-athena';
import { AsyncView, useAsync } from '../ui.tsx';
import { useAthena } from './sql-api.ts';

export function PreparedStatements({ workgroup, version, onOpen }: { workgroup: string; /** Bumped when a query settles (PREPARE may have run). */ version: number; onOpen: (text: string) => void }) {
  const athena = useAthena();
  const list = useAsync(async () => {
    const names = ((await athena.send(new ListPreparedStatementsCommand({ WorkGroup: workgroup, MaxResults: 50 }))).PreparedStatements ?? []).map((p) => p.StatementName!);
    if (names.length === 0) return [];
    return (await athena.send(new BatchGetPreparedStatementCommand({ WorkGroup: workgroup, PreparedStatementNames: names }))).PreparedStatements ?? [];
  }, [athena, workgroup, version]);
  const executeText = (name: string, query: string) => {
    const params = query.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, '').split('?').length - 1;
    return params > 0 ? `EXECUTE ${name} USING ${Array.from({ length: params }, () => 'NULL').join(', ')}` : `EXECUTE ${name}`;
  };
  return (
    <div className="panel">
      <h3>Prepared statements</h3>
      <AsyncView state={list} isEmpty={(l) => l.length === 0} empty="None in this workgroup (PREPARE name FROM … makes one).">
        {(l) => (
          <ul className="list" aria-label="Prepared statements">
            {l.map((p) => (
              <li key={p.StatementName}>
                <a href="#" style={{ flex: 1 }} title={p.Description || p.QueryStatement} onClick={(e) => (e.preventDefault(), onOpen(executeText(p.StatementName!, p.QueryStatement ?? '')))}>{p.StatementName}</a>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </div>
  );
}
