// End-to-end (Chromium via playwright-core, real server): the SQL (Athena) page. The schema browser
// shows osprey.logs with its column types; a count-by-log-group query typed with completion and a
// table inserted from the browser runs to SUCCEEDED with the right counts, charts as bars and lines,
// downloads as Athena's CSV, is saved as a named query and shows in the workgroup's history; a bad
// query shows Athena's SYNTAX_ERROR reason; a 1,200-row result pages by 100 and its CSV holds every
// page; "Open in SQL" on the Logs and CloudTrail pages runs their queries. The completion and CSV
// rules are also checked directly. Screenshots go to test/console/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  AthenaClient, BatchGetNamedQueryCommand, CreateNamedQueryCommand, GetQueryExecutionCommand, ListNamedQueriesCommand, StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { complete } from '../../web/src/pages/sql-complete.ts';
import { toCsv } from '../../web/src/pages/sql-csv.ts';
import type { Schema } from '../../web/src/pages/sql-catalog.ts';
import { ARTIFACTS, signedInConsole, type ConsoleSession } from '../helpers/browser.ts';
import { startTestServer, sdkConfig, type TestServer } from '../helpers/server.ts';
import { until } from '../helpers/until.ts';
import { putLogs } from '../helpers/logs.ts';

let server: TestServer;
let page: Page;
let testBrowser: ConsoleSession;
let athena: AthenaClient;
const base = () => server.url.replace(/\/$/, '');
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

const COUNT_QUERY = 'SELECT log_group, count(*) AS events FROM osprey.logs GROUP BY 1 ORDER BY 2 DESC';
const BULK = 1200;
const lake = mkdtempSync(join(tmpdir(), 'osprey-console-lake-'));

before(async () => {
  mkdirSync(join(lake, 'weblog'), { recursive: true });
  writeFileSync(join(lake, 'weblog', 'part-0.json'), '{"path":"/a","status":200}\n{"path":"/b","status":500}\n{"path":"/a","status":200}\n');
  server = await startTestServer({ modules: ['logs', 'athena', 'cloudtrail'], env: { OSPREY_EXPORT_BUCKETS: JSON.stringify({ lake: `file://${lake}` }) } });
  athena = new AthenaClient(sdkConfig(server.url));
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await putLogs(logs, '/app/web', ['GET /', 'GET /a', 'GET /b', 'POST /c', 'GET /d']);
  await putLogs(logs, '/app/worker', ['job 1 done', 'job 2 done', 'job 3 "failed", retrying']);
  await putLogs(logs, '/app/cron', ['tick']);
  await putLogs(logs, '/app/bulk', Array.from({ length: BULK }, (_, i) => `line ${String(i).padStart(4, '0')}`));
  testBrowser = await signedInConsole(server.url);
  ({ page } = testBrowser);
});

after(async () => {
  await testBrowser?.close();
  await server?.stop();
  server?.cleanup();
  rmSync(lake, { recursive: true, force: true });
});

const editor = () => page.getByLabel('Query', { exact: true });
const status = () => page.getByRole('status', { name: 'Query status' });
const results = () => page.getByRole('table', { name: 'Query results' });
const completions = () => page.getByRole('listbox', { name: 'Completions' });

/** The result table's data rows as cell texts, without the row-number column. */
async function resultRows(): Promise<string[][]> {
  const rows = await results().locator('tbody tr').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).slice(1)));
}

async function succeeded(): Promise<void> {
  await status().getByText('SUCCEEDED', { exact: true }).waitFor({ timeout: 30_000 });
}

/** Clicks and returns the file the console saved. */
async function download(button: Locator): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
}

test('completion offers tables after FROM and db., columns of the tables a query reads, and nothing inside literals', () => {
  const schema: Schema = [
    { name: 'default', tables: [] },
    { name: 'osprey', tables: [
      { name: 'logs', columns: [{ name: 'log_group', type: 'varchar' }, { name: 'message', type: 'varchar' }], partitionKeys: [] },
      { name: 'metrics', columns: [{ name: 'metric_name', type: 'varchar' }], partitionKeys: [] },
    ] },
  ];
  const labels = (text: string, caret = text.length) => complete(text, caret, schema, 'osprey')?.items.map((i) => i.label);
  assert.deepEqual(labels('SELECT * FROM '), ['default', 'osprey', 'logs', 'metrics']);
  assert.deepEqual(labels('SELECT * FROM osprey.'), ['logs', 'metrics']);
  assert.deepEqual(labels('SELECT * FROM osprey.m'), ['metrics']);
  assert.deepEqual(labels('SELECT m FROM osprey.logs', 8), ['message'], 'only the columns of the table read');
  assert.deepEqual(labels('SELECT l.m FROM osprey.logs AS l', 10), ['message'], 'through an alias');
  assert.deepEqual(labels('SELECT me'), ['metrics', 'message', 'metric_name'], 'no table yet: tables and every column');
  assert.equal(labels("SELECT * FROM osprey.logs WHERE message = 'me"), undefined);
  assert.equal(labels('SELECT * -- me'), undefined);
  assert.equal(labels('SELECT message'), undefined, 'a finished word');
  const c = complete('SELECT log_g', 12, schema, 'osprey')!;
  assert.deepEqual([c.from, c.to, c.items[0]!.label], [7, 12, 'log_group']);
});

test("CSV as Athena writes it: every field quoted, quotes doubled, NULL empty", () => {
  assert.equal(toCsv(['a', 'b'], [['x', null], ['say "hi"', ''], ['1,2', 'line\nbreak']]), '"a","b"\n"x",\n"say ""hi""",""\n"1,2","line\nbreak"\n');
});

test('a count by log group typed with completion runs, charts, downloads as CSV, is saved and shows in history', { timeout: 120_000 }, async () => {
  await page.goto(`${base()}/sql`);
  // The schema browser: osprey (the context database) open, its tables listed, a table's columns with types.
  const tables = page.getByRole('list', { name: 'Tables of osprey' });
  await tables.getByRole('button', { name: 'logs', exact: true }).waitFor();
  await tables.getByRole('button', { name: 'Columns of osprey.logs' }).click();
  const columns = page.getByRole('list', { name: 'Columns of logs' });
  assert.match(await columns.innerText(), /log_group\s+varchar[\s\S]*timestamp\s+timestamp/);

  await editor().fill('');
  await editor().pressSequentially('SELECT log_gr');
  await completions().getByRole('option', { name: /^log_group varchar/ }).waitFor();
  await editor().press('Tab');
  assert.equal(await editor().inputValue(), 'SELECT log_group');
  assert.equal(await completions().count(), 0, 'accepting closes the list');
  await editor().pressSequentially(', count(*) AS events FROM ');
  // After FROM the list offers the databases and tables; the table comes from the browser instead.
  await completions().getByRole('option', { name: /^osprey database/ }).waitFor();
  await editor().press('Escape');
  await tables.getByRole('button', { name: 'logs', exact: true }).click();
  await editor().pressSequentially(' GROUP BY 1 ORDER BY 2 DESC');
  assert.equal(await editor().inputValue(), COUNT_QUERY);
  await editor().press('Control+Enter');

  await succeeded();
  assert.match(await status().innerText(), /Data scanned: \d/);
  await results().waitFor();
  assert.deepEqual(await resultRows(), [['/app/bulk', String(BULK)], ['/app/web', '5'], ['/app/worker', '3'], ['/app/cron', '1']]);
  assert.match(await results().locator('thead').innerText(), /log_group\s+varchar[\s\S]*events\s+bigint/);
  const execution = new URL(page.url()).searchParams.get('execution');
  assert.ok(execution, 'the URL names the execution');
  await shot('sql-results');

  // The chart: bars per log group by default, then lines.
  await page.getByRole('tablist', { name: 'Result view' }).getByRole('tab', { name: 'Chart' }).click();
  await page.getByTestId('sql-chart').locator('canvas').first().waitFor();
  assert.equal(await page.getByLabel('X axis').inputValue(), '0');
  assert.equal(await page.getByRole('checkbox', { name: 'events' }).isChecked(), true);
  assert.equal(await page.getByRole('button', { name: 'Bar' }).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'Line' }).click();
  assert.equal(await page.getByRole('button', { name: 'Line' }).getAttribute('aria-pressed'), 'true');
  await shot('sql-chart');

  const csv = await download(page.getByRole('button', { name: 'Download CSV' }));
  assert.equal(csv.name, `${execution}.csv`);
  assert.equal(csv.text, `"log_group","events"\n"/app/bulk","${BULK}"\n"/app/web","5"\n"/app/worker","3"\n"/app/cron","1"\n`);

  // Saved as a named query of the workgroup, with its database.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Save query' });
  await dialog.getByLabel('Name').fill('events by group');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('list', { name: 'Saved queries' }).getByRole('link', { name: 'events by group' }).waitFor();
  const ids = (await athena.send(new ListNamedQueriesCommand({ WorkGroup: 'primary' }))).NamedQueryIds!;
  const saved = (await athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids }))).NamedQueries!.find((n) => n.Name === 'events by group');
  assert.deepEqual([saved?.Database, saved?.QueryString], ['osprey', COUNT_QUERY]);

  const history = page.getByRole('table', { name: 'Query history' });
  await history.getByRole('row').filter({ hasText: COUNT_QUERY }).filter({ hasText: 'SUCCEEDED' }).waitFor();
  await shot('sql-saved-history');
  assert.deepEqual(testBrowser.nativeDialogs, []);
});

test('a bad query fails with the SYNTAX_ERROR reason; the history and saved queries open theirs', { timeout: 120_000 }, async () => {
  // This test's own history entry and saved query, made with the SDK.
  const webCount = "SELECT count(*) AS n FROM osprey.logs WHERE log_group = '/app/web'";
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: webCount, QueryExecutionContext: { Database: 'osprey' } }));
  await until('the SDK query to finish', async () => {
    const q = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    return q.Status?.State === 'SUCCEEDED' ? q : undefined;
  }, 30_000);
  await athena.send(new CreateNamedQueryCommand({ Name: 'web events', Database: 'osprey', QueryString: webCount }));

  await page.goto(`${base()}/sql`);
  await editor().fill('SELECT log_group FROM osprey.logs WHERE');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await status().getByText('FAILED', { exact: true }).waitFor({ timeout: 30_000 });
  assert.match(await page.getByRole('alert').innerText(), /SYNTAX_ERROR: line 1:\d+/);
  await shot('sql-syntax-error');

  const history = page.getByRole('table', { name: 'Query history' });
  await history.getByRole('row').filter({ hasText: 'FAILED' }).first().waitFor();
  await history.getByRole('link', { name: webCount }).click();
  assert.equal(await editor().inputValue(), webCount);
  assert.equal(new URL(page.url()).searchParams.get('execution'), QueryExecutionId);
  await succeeded();
  await results().waitFor();
  assert.deepEqual(await resultRows(), [['5']]);

  await editor().fill('SELECT 1');
  await page.getByRole('list', { name: 'Saved queries' }).getByRole('link', { name: 'web events' }).click();
  assert.equal(await editor().inputValue(), webCount);
});

test('an external table created in the editor shows in the schema browser and queries its files', { timeout: 120_000 }, async () => {
  await page.goto(`${base()}/sql`);
  await editor().fill("CREATE EXTERNAL TABLE default.weblog (path string, status int)\nROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\nLOCATION 's3://lake/weblog/'");
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await succeeded();
  await page.getByRole('button', { name: 'Tables of default' }).click();
  await page.getByRole('button', { name: 'Columns of default.weblog' }).click();
  await page.getByRole('list', { name: 'Columns of weblog' }).getByText('status', { exact: true }).waitFor();
  await editor().fill('SELECT path, count(*) AS hits FROM default.weblog GROUP BY path ORDER BY path');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await succeeded();
  await results().waitFor();
  assert.deepEqual(await resultRows(), [['/a', '2'], ['/b', '1']]);
  await shot('sql-external-table');
});

test('a 1,200-row result pages by 100 and its CSV holds every page', { timeout: 120_000 }, async () => {
  await page.goto(`${base()}/sql`);
  const sql = "SELECT message FROM osprey.logs WHERE log_group = '/app/bulk' ORDER BY message";
  await editor().fill(sql);
  await editor().press('Control+Enter');
  await succeeded();
  const position = page.getByRole('region', { name: 'Results' }).getByRole('status');
  await position.getByText(`Rows 1–100 of ${BULK}`).waitFor();
  assert.deepEqual((await resultRows())[0], ['line 0000']);
  await page.getByRole('button', { name: 'Next' }).click();
  await position.getByText(`Rows 101–200 of ${BULK}`).waitFor();
  assert.deepEqual((await resultRows())[0], ['line 0100']);
  await page.getByRole('button', { name: 'Previous' }).click();
  await position.getByText(`Rows 1–100 of ${BULK}`).waitFor();
  const csv = await download(page.getByRole('button', { name: 'Download CSV' }));
  const lines = csv.text.trimEnd().split('\n');
  assert.equal(lines.length, BULK + 1, 'the header and every row, across GetQueryResults pages of 1,000');
  assert.deepEqual([lines[0], lines[1], lines.at(-1)], ['"message"', '"line 0000"', `"line ${BULK - 1}"`]);
});

test('"Open in SQL" from a log group and from CloudTrail event history runs their queries', { timeout: 120_000 }, async () => {
  await page.goto(`${base()}/logs?group=${encodeURIComponent('/app/worker')}`);
  await page.getByRole('link', { name: 'Open in SQL' }).click();
  await page.waitForURL((u) => u.pathname === '/sql');
  assert.equal(await editor().inputValue(), "SELECT timestamp, message FROM osprey.logs WHERE log_group = '/app/worker' ORDER BY timestamp DESC LIMIT 100");
  await succeeded();
  await results().waitFor();
  assert.deepEqual((await resultRows()).map((r) => r[1]), ['job 3 "failed", retrying', 'job 2 done', 'job 1 done']);

  await page.goto(`${base()}/cloudtrail`);
  await page.getByRole('link', { name: 'Open in SQL' }).click();
  await page.waitForURL((u) => u.pathname === '/sql');
  assert.match(await editor().inputValue(), /FROM osprey\.cloudtrail ORDER BY eventtime DESC/);
  await succeeded();
  await results().waitFor();
  // The console's own calls (the sign-in, the Athena calls above) are in the trail's records.
  const names = (await resultRows()).map((r) => r[1]);
  assert.ok(names.includes('ConsoleLogin') || names.includes('StartQueryExecution'), `event names: ${names.join(', ')}`);
  await shot('sql-cloudtrail');
});
