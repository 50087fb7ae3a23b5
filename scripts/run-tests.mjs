#!/usr/bin/env node
// Runs the *.test.ts files (Node 20's test runner has no glob support), one `node --test` process
// per file, two at a time, each file's TAP printed whole when it ends.
//
// Why not one `node --test a b c …`: twice in CI a file stopped making progress inside a chDB
// call (metric-head / metric-tiers-migration; never reproduced here in 30 stress rounds and 9,000
// hammered flushes) and the runner waited on it until CI's limit, with nothing said about where.
// Here a file silent for STALL_MS gets its native stacks printed (gdb, when the machine has it),
// is killed and is run once more, loudly; a file that fails (rather than stalls) is not retried.
//
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: src and test)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: src and test)');
  process.exit(0);
}
const STALL_MS = Number(process.env.OSPREY_TEST_STALL_MS ?? 8 * 60_000);

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
// so they run one at a time after the rest instead of two Chromiums sharing the two cores. Canary
// runs launch Chromium too: next to the soak test's full load a launch failed once (CI rehearsal,
// session 18), so they run in that group as well.
const isBrowserTest = (f) => f.startsWith('test') && (f.split(/[\\/]/).includes('console') || /synthetics-runs\.test\.ts$/.test(f));
const groups = [
  { files: files.filter((f) => !isBrowserTest(f)), concurrency: 2 },
  { files: files.filter(isBrowserTest), concurrency: 1 },
].filter((g) => g.files.length > 0);

const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid);
    process.exit(1);
  });
}

const totals = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
const failedFiles = [];
const retried = [];
const started = Date.now();
for (const g of groups) await pool(g.files, g.concurrency, runWithRetry);

console.log(`# files ${files.length}`);
for (const [k, v] of Object.entries(totals)) console.log(`# ${k} ${v}`);
console.log(`# duration_ms ${Date.now() - started}`);
if (retried.length > 0) console.log(`# STALLED ONCE AND RETRIED: ${retried.join(', ')}`);
if (failedFiles.length > 0) console.log(`# FAILED FILES: ${failedFiles.join(', ')}`);
process.exit(failedFiles.length > 0 ? 1 : 0);

async function pool(list, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fn(list[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function runWithRetry(file) {
  let r = await runFile(file);
  if (r.stalled) {
    retried.push(file);
    console.log(`# ${file}: no progress for ${STALL_MS / 1000} s; stacks above; killed and run once more`);
    r = await runFile(file);
  }
  for (const k of Object.keys(totals)) totals[k] += r.counts[k] ?? 0;
  if (r.code !== 0 || r.stalled) failedFiles.push(file);
}

function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test-reporter=tap', file], {
      env: process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child.pid);
    const out = [];
    let stalled = false;
    let timer;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        out.push(Buffer.from(`# STALLED: ${file}\n${nativeStacks(child.pid)}\n`));
        killGroup(child.pid);
      }, STALL_MS);
    };
    arm();
    const collect = (chunk) => {
      out.push(chunk);
      arm();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (c, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      const text = Buffer.concat(out).toString('utf8');
      process.stdout.write(`# file: ${file}\n${text}${text.endsWith('\n') ? '' : '\n'}`);
      resolve({ code: c ?? (signal ? 1 : 0), stalled, counts: summaryCounts(text) });
    });
  });
}

/** The `# pass 12` lines the runner prints at the end of a file. */
function summaryCounts(text) {
  const counts = {};
  for (const m of text.matchAll(/^# (tests|pass|fail|skipped|todo|cancelled) (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  return counts;
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Every thread's native stack of the stalled file's processes (what the hang is waiting on). */
function nativeStacks(rootPid) {
  const gdb = spawnSync('sh', ['-c', 'command -v gdb'], { encoding: 'utf8' }).stdout.trim();
  const pids = [rootPid, ...descendants(rootPid)];
  if (gdb === '') return `# (no gdb on this machine; processes ${pids.join(' ')})`;
  return pids.map((pid) => {
    const r = spawnSync(gdb, ['-batch', '-p', String(pid), '-ex', 'thread apply all bt 25'], { encoding: 'utf8', timeout: 120_000 });
    // Idle pool threads (futex waits with nothing of ours above them) are most of ClickHouse's
    // hundreds of threads; the interesting stacks mention chdb, uv_ or node frames.
    const threads = (r.stdout ?? '').split(/\n(?=Thread \d+ )/).filter((t) => /chdb|uv_|node::|napi/i.test(t));
    return `# process ${pid}: ${threads.length} threads of interest\n${threads.join('\n').slice(0, 60_000)}`;
  }).join('\n');
}

function descendants(pid) {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  const kids = (r.stdout ?? '').split('\n').map((s) => s.trim()).filter(Boolean).map(Number);
  return kids.flatMap((k) => [k, ...descendants(k)]);
}
