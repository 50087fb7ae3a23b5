#!/usr/bin/env node
// Node 20's test runner has no glob support: find the *.test.ts files ourselves and hand them over.
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: src and test)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = [];
for (const root of roots) {
  if (statSync(root).isFile()) {
    files.push(root);
    continue;
  }
  for (const f of readdirSync(root, { recursive: true })) {
    if (String(f).endsWith('.test.ts')) files.push(join(root, String(f)));
  }
}
files.sort();
// The console's browser tests time what a user sees (first page interactive, alarms turning ALARM),
// so they run one at a time after the rest instead of two Chromiums sharing the two cores.
const isBrowserTest = (f) => f.split(/[\\/]/).includes('console') && f.startsWith('test');
const groups = [
  { files: files.filter((f) => !isBrowserTest(f)), concurrency: 2 },
  { files: files.filter(isBrowserTest), concurrency: 1 },
].filter((g) => g.files.length > 0);

let failed = false;
for (const g of groups) {
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${g.concurrency}`, ...g.files],
      { stdio: 'inherit', env: process.env },
    );
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  if (code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
