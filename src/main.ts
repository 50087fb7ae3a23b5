import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from './config/config.ts';
import { createLogger } from './lib/logger.ts';
import { startServer } from './server/app.ts';

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
  .option('--port <port>', 'port to listen on (env OSPREY_PORT)', port)
  .option('--data <dir>', 'data directory (env OSPREY_DATA)')
  .option('--config <file>', 'YAML or JSON config file (env OSPREY_CONFIG)')
  .option('--log-level <level>', 'trace|debug|info|warn|error|silent (env OSPREY_LOG_LEVEL)')
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
  .action(async (o: { host?: string; port?: number; data?: string; config?: string; logLevel?: string }) => {
    let cfg;
    try {
      cfg = loadConfig({ host: o.host, port: o.port, dataDir: o.data, configFile: o.config, logLevel: o.logLevel });
    } catch (e) {
      if (e instanceof ConfigError) {
        console.error(`osprey: ${e.message}`);
        process.exit(2);
      }
      throw e;
    }
    const log = createLogger(cfg.logLevel);
    const server = await startServer(cfg, { log });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting immediately');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'signal received');
      server.close().then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

await program.parseAsync(process.argv);
