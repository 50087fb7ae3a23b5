import { Command, InvalidArgumentError } from 'commander';
import { registerAgentCommand } from './cli/agent.ts';
import { registerCanaryCommands } from './cli/canary.ts';
import { registerOpsCommands } from './cli/ops.ts';
import { registerTrailCommands } from './cli/trail.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import { createLogger } from './lib/logger.ts';
import type { RunningServer } from './server/app.ts';

const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0-65535');
  return n;
};

const program = new Command()
  .name('osprey')
  .description('Osprey: a self-hosted CloudWatch behind the real AWS wire APIs')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the server (AWS APIs on one HTTP port, data in the data directory)')
  .option('--host <host>', 'address to bind (env OSPREY_HOST)', undefined)
  .option('--port <port>', 'HTTP port for the AWS APIs and the console (env OSPREY_PORT; 0 = any free port)', port)
  .option('--emf-port <port>', 'TCP+UDP port of the EMF listener (env OSPREY_EMF_PORT; default 25888; 0 = any free port)', port)
  .option('--data <dir>', 'data directory (env OSPREY_DATA)')
  .option('--config <file>', 'YAML or JSON config file (env OSPREY_CONFIG)')
  .option('--log-level <level>', 'trace|debug|info|warn|error|silent (env OSPREY_LOG_LEVEL)')
  .option('--modules <list>', 'comma-separated services to run, e.g. logs,sns (env OSPREY_MODULES; default: all)')
  .addHelpText(
    'after',
    `
Configuration precedence: defaults < config file < environment < flags.
Environment: OSPREY_HOST, OSPREY_PORT, OSPREY_DATA, OSPREY_CONFIG, OSPREY_LOG_LEVEL, OSPREY_FSYNC,
  OSPREY_ACCESS_KEYS (JSON list of {accessKeyId, secretAccessKey, accountId, principalArn?}),
  OSPREY_MAX_CLOCK_SKEW_SECONDS, OSPREY_MAX_BODY_BYTES, OSPREY_EMF_PORT (EMF listener, default 25888;
  0 = any free port), OSPREY_EMF_REGION, OSPREY_LAMBDA_URLS,
  OSPREY_STREAM_SINKS (JSON stream ARN → file:///path or http(s) URL),
  OSPREY_DELIVERY_POLL_MS, _BACKOFF_MS, _MAX_BACKOFF_MS, _LEASE_MS, _TIMEOUT_MS (subscription delivery),
  OSPREY_EXPORT_BUCKETS (JSON bucket → file:///dir or s3://bucket@endpoint), OSPREY_EXPORT_S3_ACCESS_KEY_ID,
  _SECRET_ACCESS_KEY, _REGION, OSPREY_RETENTION_INTERVAL_MS,
  OSPREY_CLICKHOUSE_URL (+ _USER, _PASSWORD, _DATABASE) to use a ClickHouse server instead of embedded chDB.
Defaults: 127.0.0.1:4566, ./data, access key test/test (account 000000000000; loopback only).`,
  )
  .action(async (o: { host?: string; port?: number; emfPort?: number; data?: string; config?: string; logLevel?: string; modules?: string }) => {
    let cfg;
    try {
      cfg = loadConfig({ host: o.host, port: o.port, emfPort: o.emfPort, dataDir: o.data, configFile: o.config, logLevel: o.logLevel });
    } catch (e) {
      if (e instanceof ConfigError) {
        console.error(`osprey: ${e.message}`);
        process.exit(2);
      }
      throw e;
    }
    const log = createLogger(cfg.logLevel);
    // Handlers go in before startup: until a process installs one, SIGTERM's default action kills it
    // outright, and a supervisor may signal the moment it sees "osprey listening" (or mid-startup).
    let server: Promise<RunningServer> | undefined;
    let stopping = false;
    let firstSignal = { signal: '', at: 0 };
    const stop = (signal: string) => {
      if (stopping) {
        // Under `npm start`, one Ctrl-C arrives twice: from the terminal (to the whole foreground
        // process group) and forwarded by npm. Only a later signal means "stop now".
        if (signal === firstSignal.signal && Date.now() - firstSignal.at < 1000) return;
        log.warn({ signal }, 'second signal: exiting immediately');
        process.exit(1);
      }
      stopping = true;
      firstSignal = { signal, at: Date.now() };
      log.info({ signal }, 'signal received');
      // A failed startup exits on its own (below); a signal during startup closes once it is up.
      void server?.then(
        (s) => s.close().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        ),
        () => undefined,
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    try {
      const modules = (o.modules ?? process.env.OSPREY_MODULES)?.split(',').map((m) => m.trim()).filter(Boolean);
      // Loaded here, not at the top: the other commands (the agent above all) must not map the
      // storage engines (chDB alone is hundreds of MB of RSS).
      server = import('./server/app.ts').then(({ startServer }) => startServer(cfg, { log, modules }));
      await server;
    } catch (err) {
      // One line an operator can act on (port in use, data directory held); the stack only on request.
      log.debug({ err }, 'startup failed');
      const { startupFailureLine } = await import('./server/startup-error.ts');
      console.error(`osprey: ${startupFailureLine(err)}`);
      process.exit(1);
    }
  });

registerTrailCommands(program);
registerCanaryCommands(program);
registerAgentCommand(program);
registerOpsCommands(program);

await program.parseAsync(process.argv);
