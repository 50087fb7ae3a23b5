/**
 * Starting and stopping the server as an operator does: `npm start` and SIGTERM, a second server on
 * a data directory in use, ports already taken. Startup failures must be one clear line and a
 * non-zero exit, never a stack trace; a stopped `npm start` must leave no process behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, startTestServer } from './helpers/server.ts';

/** Pids of live processes in process group `pgid` (read from /proc; field 5 of stat is pgrp). */
function processGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name (field 2) may hold spaces and parentheses: split after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) pids.push(Number(name));
  }
  return pids;
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

interface NpmStart {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: string[];
}

/** `npm start` in its own process group (pgid = npm's pid), resolved once it prints `readyLine`. */
async function npmStart(dataDir: string, readyLine = '"msg":"osprey listening"'): Promise<NpmStart> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, OSPREY_PORT: '0', OSPREY_EMF_PORT: '0', OSPREY_XRAY_UDP_PORT: '0', OSPREY_XRAY_TCP_PORT: '0', OSPREY_DATA: dataDir, OSPREY_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen in 120s:\n${output.join('\n')}`)), 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (line.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
  return { child, exited, output };
}

/** Runs `osprey serve` expecting it to fail; returns its exit code and everything it printed. */
function serveExpectingFailure(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, OSPREY_LOG_LEVEL: 'info', OSPREY_XRAY_UDP_PORT: '0', OSPREY_XRAY_TCP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, output });
  }));
}

/** The lines a failed start printed that are not the JSON log (the log may have said "emf listening"). */
const plainLines = (output: string): string[] => output.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{"level"'));

function assertOneClearLine(output: string, expected: RegExp): void {
  const lines = plainLines(output);
  assert.equal(lines.length, 1, `expected exactly one line besides the JSON log, got:\n${output}`);
  assert.match(lines[0]!, expected);
  assert.doesNotMatch(output, /^\s+at /m, `no stack trace expected:\n${output}`);
}

test('SIGTERM to the npm pid of `npm start` stops the server, leaves no process, and a restart works', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-npm-start-'));
  const groups: number[] = [];
  try {
    // Round 2 signals at the first log line, mid-startup: a supervisor may stop a server that is
    // still opening its stores, and that must be as graceful as stopping a listening one.
    for (const [round, readyLine] of [[1, '"msg":"osprey listening"'], [2, '{"level":']] as const) {
      const run = await npmStart(dataDir, readyLine);
      const pgid = run.child.pid!;
      groups.push(pgid);
      process.kill(pgid, 'SIGTERM');
      await run.exited;
      const empty = await waitFor(() => processGroup(pgid).length === 0, 15_000);
      assert.ok(empty, `round ${round}: processes left behind after SIGTERM to npm (pid ${pgid}): ${processGroup(pgid).join(', ')}\n${run.output.join('\n')}`);
      assert.ok(run.output.some((l) => l.includes('"msg":"shutdown complete"')), `round ${round}: the server shut down gracefully:\n${run.output.join('\n')}`);
    }
  } finally {
    // Whatever a failed round left behind: only our own process groups.
    for (const pgid of groups) for (const pid of processGroup(pgid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a second server on a data directory in use prints one line naming the holder pid and exits non-zero', { timeout: 180_000 }, async () => {
  const first = await startTestServer();
  try {
    const second = await serveExpectingFailure(['--port', '0', '--emf-port', '0', '--data', first.dataDir]);
    assert.notEqual(second.code, 0);
    assertOneClearLine(second.output, new RegExp(
      `^osprey: data directory ${first.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another Osprey process \\(pid ${first.child.pid}\\)`,
    ));
    // The first server is unharmed.
    assert.equal((await fetch(`${first.url}/_osprey/health`)).status, 200);
  } finally {
    await first.stop();
    first.cleanup();
  }
});

/** A TCP port held by this test process. */
async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

for (const which of ['HTTP', 'EMF'] as const) {
  test(`an ${which} port already in use is one clear line and a non-zero exit, without a stack trace`, { timeout: 180_000 }, async () => {
    const taken = await occupyPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'osprey-port-'));
    try {
      const ports = which === 'HTTP' ? ['--port', String(taken.port), '--emf-port', '0'] : ['--port', '0', '--emf-port', String(taken.port)];
      const r = await serveExpectingFailure([...ports, '--data', dataDir]);
      assert.notEqual(r.code, 0);
      const flag = which === 'HTTP' ? '--port' : '--emf-port';
      assertOneClearLine(r.output, new RegExp(`^osprey: ${which} listener: port ${taken.port} on 127\\.0\\.0\\.1 is already in use.*${flag}`));
      // The failed start released the data directory: a server can start on it now.
      const next = await startTestServer({ dataDir });
      await next.stop();
    } finally {
      taken.server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

test('serve --help lists a flag for every port the server opens', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', '--help'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0);
  assert.match(out, /--port <port>/);
  assert.match(out, /--emf-port <port>/);
});

test('one Ctrl-C delivered twice (by the terminal and by npm) still shuts down gracefully', { timeout: 180_000 }, async () => {
  const server = await startTestServer();
  try {
    // A request whose body never finishes keeps the shutdown waiting for in-flight work.
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((r) => setTimeout(r, 200));
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
    server.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGINT');
    const early = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 1500))]);
    assert.equal(early, 'running', `the duplicate SIGINT must not force an exit:\n${server.logs.join('\n')}`);
    socket.destroy();
    assert.equal(await exited, 0, server.logs.join('\n'));
    assert.ok(server.logs.some((l) => l.includes('"msg":"shutdown complete"')));
  } finally {
    server.child.kill('SIGKILL');
    server.cleanup();
  }
});
