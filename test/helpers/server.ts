import { spawn, type ChildProcess } from 'node:child_process';
import { throwawayPostgres } from '../../src/store/meta/sql/throwaway-postgres.ts';
import { openMetaDb } from '../../src/store/meta/sql/open.ts';
import type { MetaDb } from '../../src/store/meta/sql/types.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, no cleanup: the crash-safety tests use this. */
  kill(): Promise<void>;
  /** Remove the data directory. */
  cleanup(): void;
  logs: string[];
}

const metadataUrls = new Map<string, string>();

/**
 * `OSPREY_TEST_METADATA=postgres` runs the servers on PostgreSQL: each data directory gets its own
 * database on the process's throwaway cluster (a restart on the same directory finds its metadata).
 */
async function metadataEnv(dataDir: string): Promise<Record<string, string>> {
  if (process.env.OSPREY_TEST_METADATA !== 'postgres') return {};
  let url = metadataUrls.get(dataDir);
  if (!url) {
    const pg = await throwawayPostgres();
    if (!pg) throw new Error('OSPREY_TEST_METADATA=postgres needs PostgreSQL (apt-get install postgresql)');
    url = await pg.createDatabase();
    metadataUrls.set(dataDir, url);
  }
  return { OSPREY_METADATA_URL: url };
}

/**
 * Another connection to a test server's metadata store (its SQLite file, or its PostgreSQL
 * database under OSPREY_TEST_METADATA=postgres), for tests that play a part the server plays.
 */
export function openServerMetaDb(dataDir: string): Promise<MetaDb> {
  return openMetaDb({ url: metadataUrls.get(dataDir) ?? '', dataDir, fsync: false });
}

/** Whether this run's test servers keep their metadata on PostgreSQL. */
export const metadataOnPostgres = process.env.OSPREY_TEST_METADATA === 'postgres';

/**
 * Starts the real server (`osprey serve`) in a child process on a random port. chDB allows one data
 * directory per process, so every server gets its own process and directory. Self-monitoring's
 * CloudWatch publishing (Osprey/Server, into the operator account — the tests' account) is off
 * unless a test turns it on: tests that read back every metric point of their account would find
 * Osprey's own among them.
 */
/** The V8 flags of `npm start` (package.json's start script): a 32 MB young generation semi-space (see BENCHMARKS.md, otlp). */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

export async function startTestServer(
  opts: { dataDir?: string; env?: Record<string, string>; args?: string[]; nodeArgs?: string[]; /** Services to run (default: all). */ modules?: string[] } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'osprey-test-'));
  const metadata = await metadataEnv(dataDir);
  const child = spawn(
    process.execPath,
    // SERVER_NODE_FLAGS: what `npm start` runs the server with (package.json), so tests and benches measure it.
    [...SERVER_NODE_FLAGS, ...(opts.nodeArgs ?? []), '--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', '--port', '0', '--data', dataDir, ...(opts.modules ? ['--modules', opts.modules.join(',')] : []), ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, OSPREY_LOG_LEVEL: 'info', OSPREY_EMF_PORT: '0', OSPREY_XRAY_UDP_PORT: '0', OSPREY_XRAY_TCP_PORT: '0', OSPREY_SELF_MONITORING: 'false', ...metadata, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60s:\n${logs.join('\n')}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      try {
        const rec = JSON.parse(line) as { msg?: string; url?: string };
        if (rec.msg === 'osprey listening' && rec.url) {
          clearTimeout(timer);
          resolve(rec.url);
        }
      } catch {
        // not a JSON log line
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    child,
    logs,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Client config for SDK v3 pointing at a test server. */
export const sdkConfig = (url: string, region = 'us-east-1') => ({
  endpoint: url,
  region,
  credentials: TEST_CREDENTIALS,
  maxAttempts: 1,
});

/** Environment for the AWS CLIs and boto3 subprocesses. */
export const awsEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  ...extra,
});
