import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, awsEnv, ROOT, type TestServer } from './helpers/server.ts';

/**
 * StartLiveTail from the botocore-based clients (protocols.md §0). botocore's JSON event-stream
 * parser insists on an `initial-response` event before the modeled ones; SDK v3 is covered by
 * logs-live-tail.test.ts.
 */
let server: TestServer;
let logs: CloudWatchLogsClient;
let modelDir: string;
const ACCOUNT_ARN = 'arn:aws:logs:us-east-1:000000000000:log-group:';
/** Bound on every wait: a client that never gets its events fails the test instead of hanging it. */
const WAIT_MS = 30_000;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  // botocore 1.29 predates StartLiveTail; AWS_DATA_PATH lends it the model the server itself uses.
  modelDir = mkdtempSync(join(tmpdir(), 'osprey-botocore-models-'));
  mkdirSync(join(modelDir, 'logs', '2014-03-28'), { recursive: true });
  copyFileSync(join(ROOT, 'src', 'protocol', 'models', 'data', 'logs.json'), join(modelDir, 'logs', '2014-03-28', 'service-2.json'));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
  if (modelDir) rmSync(modelDir, { recursive: true, force: true });
});

interface Child {
  lines: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves with the first stdout line (seen or future) that satisfies `pred`; rejects on exit or after `ms`. */
  waitFor(pred: (line: string) => boolean, ms: number): Promise<string>;
  kill(): Promise<void>;
}

/** A client subprocess whose stdout is read line by line; always killed by the test that spawned it. */
function spawnClient(bin: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child: ChildProcess = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  // 'close' comes after the last stdout line has been read; 'error' (no such binary) has no 'close'.
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (c, signal) => resolve(c ?? (signal ? -1 : null)));
    child.on('error', (e) => {
      stderr.push(String(e));
      resolve(-1);
    });
  });
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters) w();
  });
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const describe = () => `stdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('\n')}`;
  const waitFor = (pred: (line: string) => boolean, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = lines.find(pred);
        if (hit !== undefined) finish(() => resolve(hit));
      };
      const finish = (f: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${bin}: no matching line in ${ms} ms\n${describe()}`))), ms);
      waiters.add(check);
      check();
      void exited.then((c) => finish(() => reject(new Error(`${bin} exited with ${c}\n${describe()}`))));
    });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return { lines, stderr, exited, waitFor, kill };
}

async function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), WAIT_MS)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function makeGroup(name: string): Promise<string> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 's' }));
  return ACCOUNT_ARN + name;
}

const put = (group: string, messages: string[]) => {
  const now = Date.now();
  return logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: messages.map((message, i) => ({ timestamp: now + i, message })) }));
};

const PYTHONS = [
  { name: 'boto3 1.43 (python3 on PATH)', bin: 'python3', lendModel: false },
  { name: 'boto3 1.26 (/usr/bin/python3)', bin: '/usr/bin/python3', lendModel: true },
];

for (const { name, bin, lendModel } of PYTHONS) {
  const skip = bin.startsWith('/') && !existsSync(bin) ? `${bin} not installed` : false;
  test(`${name} with inject_host_prefix=False receives sessionStart and the matching events`, { skip }, async () => {
    const group = `/tail/boto/${bin.replace(/\W/g, '')}`;
    const arn = await makeGroup(group);
    const env = awsEnv(lendModel ? { AWS_DATA_PATH: modelDir } : {});
    const child = spawnClient(bin, [join(ROOT, 'test', 'clients', 'live_tail.py'), server.url, arn, 'ERROR', '2'], env);
    try {
      // sessionStart is sent once the session is subscribed, so events put after it are tailed.
      const start = JSON.parse(await child.waitFor((l) => l.startsWith('{"start"'), WAIT_MS)) as { start: { sessionId?: string; logGroupIdentifiers?: string[] } };
      assert.deepEqual(start.start.logGroupIdentifiers, [arn]);
      assert.ok(start.start.sessionId);
      await put(group, ['ERROR one', 'INFO skip', 'ERROR two']);
      assert.equal(await withTimeout(child.exited, `${bin} to print 2 events\n${child.stderr.join('\n')}`), 0, child.stderr.join('\n'));
      const events = child.lines.filter((l) => l.startsWith('{"event"')).map((l) => (JSON.parse(l) as { event: Record<string, unknown> }).event);
      assert.deepEqual(events.map((e) => e.message), ['ERROR one', 'ERROR two']);
      for (const e of events) {
        assert.equal(e.logGroupIdentifier, arn);
        assert.equal(e.logStreamName, 's');
      }
    } finally {
      await child.kill();
    }
  });
}

test('aws logs start-live-tail (CLI v1, botocore 1.43) with AWS_DISABLE_HOST_PREFIX_INJECTION prints the matching events', async () => {
  const arn = await makeGroup('/tail/cli');
  const args = ['logs', 'start-live-tail', '--log-group-identifiers', arn, '--log-event-filter-pattern', 'ERROR', '--endpoint-url', server.url];
  const child = spawnClient('aws', args, awsEnv({ AWS_DISABLE_HOST_PREFIX_INJECTION: 'true' }));
  try {
    // The CLI prints only messages, so nothing tells when its session is subscribed: put a round
    // until one comes through, then check that nothing unmatched did.
    const end = Date.now() + WAIT_MS;
    let round = 0;
    for (; child.lines.length === 0; round++) {
      if (Date.now() > end) assert.fail(`no event reached the CLI\n${child.stderr.join('\n')}`);
      await put('/tail/cli', [`INFO skip ${round}`, `ERROR round ${round}`]);
      await child.waitFor(() => true, 1500).catch((e: Error) => {
        if (e.message.includes('exited')) throw e;
      });
    }
    await put('/tail/cli', ['ERROR last']);
    await child.waitFor((l) => l === 'ERROR last', WAIT_MS);
    // Only ERROR lines, each once: the filter applies and no update is repeated.
    const rounds = child.lines.filter((l) => l !== 'ERROR last');
    assert.ok(rounds.length >= 1);
    for (const l of rounds) assert.match(l, /^ERROR round \d+$/);
    assert.equal(new Set(rounds).size, rounds.length);
  } finally {
    await child.kill();
  }
});
