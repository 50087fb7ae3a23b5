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
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: process.env },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
