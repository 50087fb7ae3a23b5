/**
 * Child process of pipeline.test.ts's kill -9 test: appends numbered rows from 16 concurrent
 * appenders into a pipeline on argv[2] and prints each row's number (from argv[4] on) once its append resolved
 * (acknowledged). Its "engine" appends each inserted batch as a JSON line to argv[3].
 */
import { appendFileSync } from 'node:fs';
import { createIngestPipeline } from '../pipeline.ts';
import type { Head } from '../types.ts';

const [dir, storeFile, base] = process.argv.slice(2) as [string, string, string];
let rows: number[] = [];
const head: Head<number> = {
  add: (r) => void rows.push(...r),
  get rows() {
    return rows.length;
  },
  get bytes() {
    return rows.length * 8;
  },
  drain: () => {
    const batch = rows;
    rows = [];
    return { rows: batch.length, insert: async (token) => appendFileSync(storeFile, JSON.stringify({ token, rows: batch }) + '\n') };
  },
};
const codec = { encode: (r: readonly number[]) => Buffer.from(JSON.stringify(r)), decode: (p: Buffer) => JSON.parse(p.toString()) as number[] };
const p = await createIngestPipeline(codec, head, { dir, fsync: false, flushRows: 200, flushIntervalMs: 5 });
let next = Number(base);
await Promise.all(Array.from({ length: 16 }, async () => {
  for (;;) {
    const batch = [next++, next++, next++];
    await p.append(batch);
    process.stdout.write(batch.join('\n') + '\n');
  }
}));
