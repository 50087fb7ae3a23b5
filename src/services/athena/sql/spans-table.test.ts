/**
 * osprey.spans against a real chDB engine: segment documents of two accounts (and a second
 * region) in trace_segments — complete, in progress then complete, only in progress, streamed
 * subsegments, sealed — and the queries people write over spans. Every row must be account A's
 * in us-east-1, one per segment.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTelemetry, type Telemetry } from '../../../store/telemetry/index.ts';
import { stringLiteral as q } from '../../../store/telemetry/sql-literal.ts';
import { SEALED } from '../../../store/telemetry/trace-segments.ts';
import { ospreyCatalog, translate, withSettings } from './index.ts';

const A = '000000000000';
const B = '111111111111';
const REGION = 'us-east-1';
const NOW = Date.now();
const T0 = Math.floor(NOW / 1000) - 600;
const TRACE = `1-${T0.toString(16)}-aaaaaaaaaaaaaaaaaaaaaaaa`;
const dir = mkdtempSync(join(tmpdir(), 'osprey-athena-spans-'));
let t: Telemetry;

interface Doc { id: string; name: string; start_time: number; end_time?: number; in_progress?: boolean; parent_id?: string; type?: string; [k: string]: unknown }

function row(account: string, region: string, doc: Doc, received: number, sealed = false): string {
  const document = JSON.stringify({ trace_id: TRACE, ...doc });
  const stored = sealed ? `${SEALED}arn:aws:kms:us-east-1:${account}:key/k\nc2VhbGVk` : document;
  return `(${q(account)}, ${q(region)}, ${q(TRACE)}, ${q(doc.id)}, ${q(doc.parent_id ?? '')}, ${doc.type === 'subsegment' ? 1 : 0}, ${doc.in_progress ? 1 : 0}, ` +
    `${q(doc.name)}, ${q(String(doc.origin ?? ''))}, ${doc.start_time}, ${doc.end_time ?? 0}, ${NOW + received}, ${q(stored)})`;
}

async function seed(): Promise<void> {
  const http = { request: { method: 'GET', url: 'https://api.example.com/users/1', client_ip: '10.0.0.1' }, response: { status: 500 } };
  const rows = [
    row(A, REGION, { id: 'a000000000000001', name: 'api', origin: 'AWS::EC2::Instance', start_time: T0 + 0.25, end_time: T0 + 1.75, http, fault: true,
      annotations: { customer: 'c-1', attempt: 2, canary: false }, metadata: { debug: { k: 'v' } }, service: { version: '1.2.3' } }, 1),
    // Sent in progress, then complete: one row, the complete one.
    row(A, REGION, { id: 'a000000000000002', name: 'worker', start_time: T0 + 2, in_progress: true }, 2),
    row(A, REGION, { id: 'a000000000000002', name: 'worker', start_time: T0 + 2, end_time: T0 + 3, error: true, user: 'alice' }, 3),
    // Still in progress.
    row(A, REGION, { id: 'a000000000000003', name: 'batch', start_time: T0 + 4, in_progress: true }, 4),
    // A streamed subsegment (OTLP client span).
    row(A, REGION, { id: 'a000000000000004', name: 'DynamoDB', type: 'subsegment', parent_id: 'a000000000000001', namespace: 'aws', start_time: T0 + 0.5, end_time: T0 + 0.75,
      aws: { operation: 'GetItem', table_name: 'users' }, throttle: true, error: true }, 5),
    row(A, REGION, { id: 'a000000000000005', name: 'sealed-service', start_time: T0 + 5, end_time: T0 + 6 }, 6, true),
    row(B, REGION, { id: 'b000000000000001', name: 'SECRET-B', start_time: T0, end_time: T0 + 1 }, 7),
    row(A, 'eu-west-1', { id: 'e000000000000001', name: 'OTHER-REGION', start_time: T0, end_time: T0 + 1 }, 8),
  ];
  await t.engine.exec('INSERT INTO trace_segments (account, region, trace_id, id, parent_id, subsegment, in_progress, name, origin, start_time, end_time, received, document) VALUES ' + rows.join(', '));
}

before(async () => {
  t = await openTelemetry({ kind: 'chdb', path: dir });
  await seed();
});
after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(statement: string): Promise<(string | null)[][]> {
  const tr = translate(statement, ospreyCatalog({ account: A, region: REGION }));
  const rows = await t.engine.query<Record<string, unknown>>(withSettings(tr));
  const cell = (v: unknown) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return rows.map((r) => tr.columns.map((_c, i) => cell(r[`c${i}`])));
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('T', ' ').replace('Z', '');

const CASES: Array<[string, string, (string | null)[][]]> = [
  ['one row per segment: complete beats in progress; sealed documents and other scopes are left out',
    'SELECT id, type, name, in_progress, parent_id FROM spans ORDER BY id',
    [['a000000000000001', 'segment', 'api', 'false', null], ['a000000000000002', 'segment', 'worker', 'false', null],
      ['a000000000000003', 'segment', 'batch', 'true', null], ['a000000000000004', 'subsegment', 'DynamoDB', 'false', 'a000000000000001']]],
  ['times, duration (seconds), NULL while in progress', 'SELECT id, start_time, end_time, duration FROM spans WHERE id IN (\'a000000000000001\', \'a000000000000003\') ORDER BY id',
    [['a000000000000001', iso(T0 + 0.25), iso(T0 + 1.75), '1.5'], ['a000000000000003', iso(T0 + 4), null, null]]],
  ['the HTTP block, flags, origin, service version', "SELECT http_method, http_url, http_status, http_client_ip, fault, error, throttle, origin, service_version FROM spans WHERE name = 'api'",
    [['GET', 'https://api.example.com/users/1', '500', '10.0.0.1', 'true', 'false', 'false', 'AWS::EC2::Instance', '1.2.3']]],
  ['annotations as map(varchar, varchar): strings unquoted, numbers and booleans as written', "SELECT annotations['customer'], annotations['attempt'], element_at(annotations, 'canary'), element_at(annotations, 'nope'), cardinality(annotations) FROM spans WHERE name = 'api'",
    [['c-1', '2', 'false', null, '3']]],
  ['json columns: aws, metadata; the namespace and user members', "SELECT json_extract_scalar(aws, '$.operation'), json_extract_scalar(metadata, '$.debug.k'), namespace, user FROM spans WHERE id IN ('a000000000000004', 'a000000000000002') ORDER BY id",
    [[null, null, null, 'alice'], ['GetItem', null, 'aws', null]]],
  ['faults and errors by name, as a dashboard would', 'SELECT name, count_if(fault) AS faults, count_if(error) AS errors, count_if(throttle) AS throttles FROM spans GROUP BY name ORDER BY name',
    [['DynamoDB', '0', '1', '1'], ['api', '1', '0', '0'], ['batch', '0', '0', '0'], ['worker', '0', '1', '0']]],
  ['a time filter and a trace join (subsegments to their parent)', `SELECT c.name, p.name FROM spans c JOIN spans p ON c.parent_id = p.id AND c.trace_id = p.trace_id WHERE c.start_time >= from_unixtime(${T0})`,
    [['DynamoDB', 'api']]],
];

for (const [name, statement, expected] of CASES) {
  test(`spans: ${name}`, async () => {
    assert.deepEqual(await run(statement), expected);
  });
}

test('spans: no row or value of account B, of another region or of a sealed document', async () => {
  const everything = (await run('SELECT * FROM spans')).flat().join('\n');
  for (const leak of ['SECRET-B', 'OTHER-REGION', 'sealed-service', 'c2VhbGVk', B]) assert.ok(!everything.includes(leak), leak);
});
